// The operator's desk: trays, scans (scanner, camera, manual), recent scans and totals.
import { normaliseBarcodeInput } from '../../../../../shared/barcode/barcode';
import { err, ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import { ScanHistory } from '../../ledger/scan-history';
import { openTrayCheckingClock } from '../../sync/tray-clock';
import type { SomeHandlers } from '../handler';

export function scanHandlers(
  core: Core,
): SomeHandlers<'openBatch' | 'closeBatch' | 'getBatch' | 'listBatches' | 'recordScan' | 'recordManualEntry' | 'listConfirmers' | 'recentScans' | 'scanTotals'> {
  const scanContext = (operatorId: string, now: Date) => {
    const ws = core.workstation.info();
    return {
      operatorId,
      now,
      electionNumber: ws.electionNumber,
      closesAt: ws.closesAt ? new Date(ws.closesAt) : null,
      repeatWindowMs: core.settings.get().repeatWindowSeconds * 1000,
    };
  };

  const history = new ScanHistory(core.db, core.audit);

  return {
    // a clock far off the server's needs a supervisor's confirmation first (sync/tray-clock.ts)
    openBatch: (input, { now, session }) => openTrayCheckingClock(core, { ...input, expectedCount: input.expectedCount ?? null }, session.personId, now),
    closeBatch: (input, { now, session }) => core.batches.close(input.batchId, { tray: input.physicalCount, pockets: input.pocketCounts }, session.personId, now),
    getBatch: (input) => {
      const b = core.batches.get(input.batchId);
      return b ? ok(b) : err({ code: 'not_found', message: 'No such tray.' });
    },
    listBatches: () => ok(core.batches.list()),

    recordScan: (input, { now, session }) => ok(core.receipts.record({ raw: input.barcode, source: input.source }, scanContext(session.personId, now))),

    recordManualEntry: async (input, { now, session }) => {
      // Typed twice so that one slip of the finger cannot record another member's envelope.
      if (normaliseBarcodeInput(input.barcode) !== normaliseBarcodeInput(input.repeatBarcode)) {
        return err({ code: 'invalid_input', message: 'The two numbers do not match: type the number again.' });
      }
      // A typed envelope deactivates an online code like a scanned one, so a second person
      // confirms it: a supervisor other than the operator, with their PIN, checked as at
      // sign-in (a wrong PIN counts towards that supervisor's lock-out). Nothing is recorded
      // before the confirmation holds (issue 15 item 3).
      const c = input.confirmation;
      const operatorId = session.personId;
      if (c.supervisorId === operatorId) {
        return err({ code: 'forbidden', message: 'You cannot confirm your own manual entry: another supervisor must choose their name and type their PIN.' });
      }
      const who = await core.people.signIn(c.supervisorId, c.pin, now);
      if (!who.ok) return err({ code: who.error.code === 'locked' ? 'locked' : 'forbidden', message: who.error.message });
      if (who.value.role !== 'supervisor') return err({ code: 'forbidden', message: `${who.value.name} is not a supervisor: a supervisor must confirm a manual entry.` });
      // the operator was not signed out meanwhile (signIn awaits scrypt)
      if (core.session.info?.personId !== operatorId) return err({ code: 'not_signed_in', message: 'You were signed out: sign in again.' });
      return ok(
        core.receipts.record({ raw: input.barcode, source: 'manual', manualReason: input.reason, confirmedBy: who.value.personId }, scanContext(operatorId, now)),
      );
    },

    listConfirmers: (_input, { session }) => ok(core.people.signInNames('supervisor').filter((p) => p.id !== session.personId)),

    recentScans: (input) => ok(history.recent(input.limit)),

    scanTotals: (_input, { now, session }) => ok(history.totals(session.personId, now)),
  };
}
