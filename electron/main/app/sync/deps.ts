// What the sync engine and its steps use of the app core, named one by one (issue 16: the
// engine is built in createCore from these, not handed the whole core, and nothing here
// imports core.ts, so the core can build the engine without an import cycle).
import type { AuditStatus, PushEvent } from '../../../../shared/api/types';
import type { AppLog, SecretStore } from '../app.types';
import type { AuditLog } from '../audit/log';
import type { WitnessGuard } from '../audit/witness-guard';
import type { Db } from '../db/open';
import type { ServerFlags } from '../ledger/server-flags';
import type { RegisterLookup } from '../register/lookup';
import type { RegisterStore } from '../register/store';
import type { Workstation } from '../workstation';

export interface SyncDeps {
  db: Db;
  now: () => Date;
  log: AppLog;
  /** the device token lives here, never in the database */
  secretStore: SecretStore;
  audit: AuditLog;
  workstation: Workstation;
  witness: WitnessGuard;
  /** flags and decisions from the central server */
  serverFlags: ServerFlags;
  /** the register copy, read to name the member of a feed entry */
  register: RegisterLookup;
  /** the register copy's writer: the core's own, so a file import and a server fill never share its idle table */
  registerStore: RegisterStore;
  /** the audit chain's last check, combined with what the server witnessed */
  auditStatus(): AuditStatus;
  /** pushes an event to the screens */
  emit(event: PushEvent): void;
}
