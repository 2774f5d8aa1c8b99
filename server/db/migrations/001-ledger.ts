// Server migration 1. Never edit a released migration: add the next one (../migrations.ts).
import type { ServerMigration } from '../db';

export const migration001: ServerMigration = {
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
};
