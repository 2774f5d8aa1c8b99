// Server migration 2. Never edit a released migration: add the next one (../migrations.ts).
import type { ServerMigration } from '../db';

export const migration002: ServerMigration = {
  version: 2,
  name: 'register_events.online_voted_at: when the member voted online',
  // Workstations show a supervisor WHEN a member voted online, so each register event carries
  // the redemption time beside online_voted. Nullable without a default: PostgreSQL adds it
  // without rewriting the table. Events written before this migration learn it from the member.
  sql: `
alter table register_events add column online_voted_at timestamptz;

update register_events e set online_voted_at = m.redeemed_at
  from members m
 where e.online_voted and m.election_number = e.election_number and m.member_ref = e.member_ref;
`,
};
