// Server migration 4. Never edit a released migration: add the next one (../migrations.ts).
import type { ServerMigration } from '../db';

export const migration004: ServerMigration = {
  version: 4,
  name: 'admin_events: an append-only record of what administrators did',
  // Moving an election's close decides which envelopes are late, so who moved it, when, and
  // from what to what must outlive the log. Each admin action writes its event in its own
  // transaction. Ids come from a one-row counter locked as the last step (as event_counters
  // does), so they become visible in commit order and a reader paging by id never skips one.
  // The triggers refuse UPDATE, DELETE and TRUNCATE for every role the server uses: a
  // correction is a new event, never an edit.
  sql: `
create table admin_event_counter (
  only_row boolean primary key default true check (only_row),
  last_event_id bigint not null default 0
);
insert into admin_event_counter default values;

create table admin_events (
  event_id bigint primary key,
  at timestamptz not null,
  actor text not null,
  action text not null,
  detail jsonb not null
);

create function admin_events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'admin_events is append-only: % refused', tg_op using errcode = 'restrict_violation';
end;
$$;
create trigger admin_events_no_update_or_delete before update or delete on admin_events
  for each row execute function admin_events_refuse_change();
create trigger admin_events_no_truncate before truncate on admin_events
  for each statement execute function admin_events_refuse_change();
`,
};
