// The workstation ledger's first schema: who works here, trays, receipts, flags and
// decisions (appended, never rewritten), the register copy, the outbox and the audit chain.
import type { Migration } from '../db';

export const migration001: Migration = {
  version: 1,
  description: 'ledger: people, batches, receipts, flags, decisions, register copy, outbox, audit',
  up(db) {
    db.exec(`
      CREATE TABLE workstation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        workstation_id TEXT NOT NULL,
        workstation_name TEXT NOT NULL,
        election_number INTEGER,
        election_name TEXT,
        closes_at TEXT,
        centre_id TEXT,
        centre_name TEXT,
        server_url TEXT,
        device_id TEXT,
        enrolled_at TEXT
      );

      -- JSON values by key; validated with a schema when read.
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor')),
        pin_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        expected_count INTEGER,
        opened_at TEXT NOT NULL,
        opened_by TEXT NOT NULL REFERENCES people(id),
        closed_at TEXT,
        closed_by TEXT REFERENCES people(id),
        physical_count INTEGER
      );
      -- One open tray per workstation at a time.
      CREATE UNIQUE INDEX batches_one_open ON batches((closed_at IS NULL)) WHERE closed_at IS NULL;

      CREATE TABLE receipts (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE CHECK (seq > 0),
        barcode TEXT NOT NULL CHECK (length(barcode) = 16),
        election_number INTEGER NOT NULL,
        ballot_number INTEGER NOT NULL,
        issue INTEGER NOT NULL,
        member_ref TEXT,
        scanned_at TEXT NOT NULL,
        operator_id TEXT NOT NULL REFERENCES people(id),
        batch_id TEXT NOT NULL REFERENCES batches(id),
        position INTEGER NOT NULL CHECK (position > 0),
        source TEXT NOT NULL CHECK (source IN ('scanner', 'camera', 'manual')),
        manual_reason TEXT,
        desk_outcome TEXT NOT NULL CHECK (desk_outcome IN ('accepted', 'flagged'))
      );
      CREATE INDEX receipts_barcode ON receipts(barcode);
      CREATE INDEX receipts_member ON receipts(member_ref) WHERE member_ref IS NOT NULL;
      CREATE UNIQUE INDEX receipts_batch_position ON receipts(batch_id, position);

      -- Receipts seen at other workstations or centres, learnt from the server's changes feed,
      -- so that the desk can flag duplicates it could not see itself.
      CREATE TABLE remote_receipts (
        receipt_id TEXT PRIMARY KEY,
        barcode TEXT NOT NULL,
        member_ref TEXT,
        received_at TEXT NOT NULL,
        centre_name TEXT,
        workstation_name TEXT
      );
      CREATE INDEX remote_receipts_barcode ON remote_receipts(barcode);
      CREATE INDEX remote_receipts_member ON remote_receipts(member_ref) WHERE member_ref IS NOT NULL;

      -- The server's verdict on each receipt, stored beside the desk verdict (never over it).
      CREATE TABLE server_verdicts (
        receipt_id TEXT PRIMARY KEY REFERENCES receipts(id),
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'flagged', 'rejected')),
        kind TEXT,
        server_flag_id TEXT,
        related_receipt_ids TEXT NOT NULL DEFAULT '[]',
        detail TEXT,
        online_code TEXT,
        error TEXT,
        received_at TEXT,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX server_verdicts_flag ON server_verdicts(server_flag_id) WHERE server_flag_id IS NOT NULL;

      -- At most one flag per receipt (contracts.md §4); raised by the desk at scan time or
      -- by the server's verdict when the desk had accepted.
      CREATE TABLE flags (
        id TEXT PRIMARY KEY,
        receipt_id TEXT NOT NULL UNIQUE REFERENCES receipts(id),
        kind TEXT NOT NULL,
        raised_by TEXT NOT NULL CHECK (raised_by IN ('desk', 'server')),
        raised_at TEXT NOT NULL,
        related_receipt_ids TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX flags_kind ON flags(kind);

      -- Decisions are appended; a flag's state is derived from its latest decision.
      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        flag_id TEXT NOT NULL REFERENCES flags(id),
        decision TEXT NOT NULL CHECK (decision IN ('set_aside', 'count', 'void_receipt', 'escalate')),
        note TEXT NOT NULL CHECK (length(note) > 0),
        supervisor_id TEXT REFERENCES people(id),
        supervisor_name TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        made_here INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX decisions_flag ON decisions(flag_id, decided_at);

      -- Two register tables: an import fills the idle one in short transactions (scans go on),
      -- then one tiny transaction makes it the active one. A cancelled import leaves the
      -- active register untouched.
      CREATE TABLE register_a (
        ballot_number INTEGER NOT NULL,
        issue INTEGER NOT NULL,
        status TEXT NOT NULL,
        member_ref TEXT NOT NULL,
        online_voted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (ballot_number, issue)
      ) WITHOUT ROWID;
      CREATE TABLE register_b (
        ballot_number INTEGER NOT NULL,
        issue INTEGER NOT NULL,
        status TEXT NOT NULL,
        member_ref TEXT NOT NULL,
        online_voted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (ballot_number, issue)
      ) WITHOUT ROWID;
      CREATE INDEX register_a_member ON register_a(member_ref);
      CREATE INDEX register_b_member ON register_b(member_ref);
      CREATE TABLE register_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        active TEXT NOT NULL CHECK (active IN ('a', 'b')),
        rows INTEGER NOT NULL DEFAULT 0,
        source TEXT,
        loaded_at TEXT,
        server_cursor TEXT,
        changes_cursor TEXT
      );
      INSERT INTO register_state (id, active, rows) VALUES (1, 'a', 0);

      -- Written in the same transaction as what it carries; sent later by the sync engine.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('receipt', 'resolution', 'audit_head')),
        ref_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        failed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX outbox_pending ON outbox(seq) WHERE sent_at IS NULL AND failed = 0;

      -- The hash-chained audit log. Triggers make it append-only for every connection that
      -- has not dropped them; verifyAudit detects what a connection that did could change.
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT,
        event TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_event ON audit(event);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
        BEGIN SELECT RAISE(ABORT, 'receipts are never changed'); END;
      CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
        BEGIN SELECT RAISE(ABORT, 'receipts are never deleted'); END;
      CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions are appended, never changed'); END;
      CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions are appended, never changed'); END;
      CREATE TRIGGER flags_no_delete BEFORE DELETE ON flags
        BEGIN SELECT RAISE(ABORT, 'flags are never deleted'); END;
    `);
  },
};
