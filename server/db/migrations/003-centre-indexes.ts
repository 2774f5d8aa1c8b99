// Server migration 3. Never edit a released migration: add the next one (../migrations.ts).
import type { ServerMigration } from '../db';

export const migration003: ServerMigration = {
  version: 3,
  name: 'indexes by centre: receipts, flags and devices, for GET /v1/centre/summary',
  // The centre summary counts one centre's receipts among every centre's: without these it
  // reads the whole receipts table. The receipts index covers what the summary reads (device,
  // outcome, time), so PostgreSQL answers from the index alone once vacuum has seen the rows.
  // Note for a large existing PostgreSQL: building it holds writes to receipts for a while
  // (run the upgrade between sessions of receiving).
  sql: `
create index receipts_centre on receipts (centre_id, device_id) include (outcome, received_at);
create index flags_centre on flags (centre_id, kind) include (flag_id);
create index devices_centre on devices (centre_id);
`,
};
