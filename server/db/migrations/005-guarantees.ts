// Server migration 5. Never edit a released migration: add the next one (../migrations.ts).
import type { ServerMigration } from '../db';

export const migration005: ServerMigration = {
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
};
