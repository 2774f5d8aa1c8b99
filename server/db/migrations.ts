// The server's schema as numbered migrations, the same SQL on the embedded PostgreSQL and an external one. Applied
// versions are recorded in schema_migrations; a database from a newer server is refused.
// Never edit a released migration: add the next one.
import type { Db } from './db';

export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'elections, centres, devices, tokens, register, receipts, flags, events',
    sql: `
create table server_settings (
  name text primary key,
  value text not null
);

create table elections (
  election_number integer primary key,
  name text not null,
  closes_at timestamptz not null,
  created_at timestamptz not null default now()
);

-- One feed position per election: register events and change events share it, so one
-- cursor orders both. Taking the row lock (UPDATE) just before commit hands out ids in
-- commit order, so a reader never skips an id that commits later.
create table event_counters (
  election_number integer primary key references elections,
  last_event_id bigint not null default 0
);

create table centres (
  centre_id text primary key,
  name text not null,
  election_number integer not null references elections,
  created_at timestamptz not null default now()
);

create table enrolment_codes (
  code_hash text primary key,
  centre_id text not null references centres,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  device_id text
);

create table devices (
  device_id text primary key,
  centre_id text not null references centres,
  name text not null,
  enrolled_at timestamptz not null default now(),
  revoked_at timestamptz
);

-- Every bearer token, as a SHA-256 hash only. kind: device | integration | admin.
create table access_tokens (
  token_hash text primary key,
  kind text not null check (kind in ('device', 'integration', 'admin')),
  device_id text references devices,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

-- code_state: active -> deactivated (a postal vote counts) or redeemed (the online vote counts);
-- never back. counted_receipt_id: the postal envelope that counts, if any.
-- The register's tables hold millions of rows written in bulk by the import: no foreign keys
-- on them (a per-row check would double an import's time); the import itself keeps them
-- consistent (members before ballots, elections checked first).
create table members (
  member_id bigint generated always as identity primary key,
  election_number integer not null,
  member_ref text not null,
  code_hash text unique,
  code_state text not null default 'active' check (code_state in ('active', 'deactivated', 'redeemed')),
  counted_receipt_id uuid,
  redeemed_at timestamptz,
  unique (election_number, member_ref)
) with (fillfactor = 85); -- room for HOT updates of code_state

create table ballots (
  election_number integer not null,
  ballot_number integer not null,
  issue smallint not null,
  status text not null check (status in ('issued', 'superseded', 'cancelled')),
  member_id bigint not null,
  primary key (election_number, ballot_number, issue)
);
create index ballots_member on ballots (member_id);

-- The register feed: the state of one ballot pack each time it changed.
create table register_events (
  event_id bigint not null,
  election_number integer not null,
  ballot_number integer not null,
  issue smallint not null,
  status text not null,
  member_ref text not null,
  online_voted boolean not null,
  recorded_at timestamptz not null default now(),
  primary key (election_number, event_id)
);

-- Receipts the server accepted or flagged (rejected ones change nothing and are not kept).
create table receipts (
  receipt_id uuid primary key,
  election_number integer not null,
  centre_id text not null,
  device_id text not null,
  barcode text not null,
  member_id bigint,
  scanned_at timestamptz not null,
  received_at timestamptz not null,
  workstation_seq bigint not null,
  operator_id text not null,
  batch_id text not null,
  source text not null,
  outcome text not null,
  flag_id uuid,
  content_hash text not null,
  result jsonb not null
);
-- Earlier envelopes are found through their member (the same barcode means the same member).
-- Gaps in workstation_seq are found by scanning one device's receipts, rarely: no index.
create index receipts_member on receipts (member_id);

create table flags (
  flag_id uuid primary key,
  receipt_id uuid not null unique references receipts,
  election_number integer not null,
  centre_id text not null,
  member_id bigint,
  kind text not null,
  related_receipt_ids jsonb not null,
  detail text not null,
  raised_at timestamptz not null
);

-- Appended, never changed: a flag's current decision is its latest resolution.
create table resolutions (
  resolution_id uuid primary key,
  flag_id uuid not null references flags,
  decision text not null,
  note text not null,
  supervisor_id text not null,
  decided_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  device_id text not null
);
create index resolutions_flag on resolutions (flag_id, recorded_at);

-- What each centre learns through GET /v1/changes (besides register events).
create table change_events (
  event_id bigint not null,
  centre_id text not null,
  election_number integer not null,
  payload jsonb not null,
  primary key (centre_id, event_id)
);

-- Every audit-chain head a workstation sent: a later rewrite of its history shows.
create table audit_heads (
  device_id text not null,
  seq bigint not null,
  hash text not null,
  witnessed_at timestamptz not null default now(),
  primary key (device_id, seq, hash)
);
`,
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
    version: 5,
    name: 'one vote per envelope and per member on every path: decision order, unregistered envelopes, rejected receipts, audit alerts, desk clocks',
    // - resolutions.seq: the order in which decisions committed (a sequence, never a process's
    //   clock): a flag's current decision is its resolution with the highest seq. Resolutions
    //   of one flag are serialised by the flag's row lock, so seq order is commit order.
    // - receipts_unlinked: receipts whose pack was not on the register when they arrived, by
    //   barcode: every later receipt of that barcode is related to them, and the import that
    //   adds the pack ties them to their member (and applies the one-vote rule then).
    // - receipts.desk_flag / confirmed_by: the flag the operator was shown, and who confirmed
    //   a manual entry (contracts.md §3 ReceiptIn).
    // - rejected_receipts: a rejected receipt changes nothing, but it was received: its
    //   workstationSeq is no gap, and a resend gets the same answer.
    // - audit_alerts: a desk's audit head that is behind, or contradicts, one already
    //   witnessed: its history was removed or rewritten after the server saw it.
    // - audit_heads.receipt_seq: the desk's highest workstationSeq when it took the head, so
    //   the sequence-gap report can name receipts lost at the end of a desk's run.
    // - devices.clock_skew_ms: the desk's clock against the server's, as last measured.
    sql: `
alter table resolutions add column seq bigint generated always as identity;
create unique index resolutions_flag_seq on resolutions (flag_id, seq);

create index receipts_unlinked on receipts (election_number, barcode) where member_id is null;
alter table receipts add column desk_flag text;
alter table receipts add column confirmed_by text;

create table rejected_receipts (
  receipt_id uuid primary key,
  election_number integer not null,
  centre_id text not null,
  device_id text not null,
  workstation_seq bigint not null,
  content_hash text not null,
  result jsonb not null,
  received_at timestamptz not null
);
create index rejected_receipts_device on rejected_receipts (device_id, workstation_seq);
create index receipts_device_seq on receipts (device_id, workstation_seq);

alter table audit_heads add column receipt_seq bigint;

create table audit_alerts (
  alert_id bigint generated always as identity primary key,
  device_id text not null,
  centre_id text not null,
  at timestamptz not null,
  witnessed_seq bigint not null,
  witnessed_hash text not null,
  witnessed_at timestamptz not null,
  sent_seq bigint not null,
  sent_hash text not null,
  reason text not null
);

alter table devices add column clock_skew_ms integer;
alter table devices add column clock_measured_at timestamptz;
`,
  },
];

export async function migrate(db: Db): Promise<void> {
  await db.query(`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  // Two processes starting together on one PostgreSQL: one migrates, the other waits.
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(4022001)');
    const { rows } = await tx.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...MIGRATIONS.map((m) => m.version));
    const tooNew = [...applied].filter((v) => v > newest);
    if (tooNew.length > 0)
      throw new Error(`database schema version ${Math.max(...tooNew)} is newer than this server (${newest}); upgrade the server`);
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
    }
  });
}
