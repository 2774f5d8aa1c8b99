// What issue 13 needs the desk to keep (nothing is rewritten; every table is appended to):
//  - decision_server_order: the server's commit order of a decision (ResolutionOut.seq), so a
//    flag's current decision here is the one the server committed last, as everywhere else.
//    A row with a NULL seq: the server has the decision but gave no order (an older server,
//    or decisions known before this migration). No row: not on the server yet (waiting here).
//  - decision_refusal_lifts: a decision the server refused, sent again by a supervisor and
//    then accepted; its refusal (decision_refusals, never deleted) no longer applies.
//  - witnessed_heads: heads of this desk's audit chain that the server said it witnessed, with
//    the server's time, kept for when the desk starts offline (the chain must still contain them).
//  - server_clock: the last measured difference between the desk's clock and the server's.
//  - outbox_failed: refused rows are counted at every status change; this keeps that cheap.
import type { Migration } from '../db';

export const migration005: Migration = {
  version: 5,
  description: "decision_server_order, decision_refusal_lifts, witnessed_heads, server_clock, outbox_failed index",
  up(db) {
    db.exec(`
      CREATE TABLE decision_server_order (
        decision_id TEXT NOT NULL PRIMARY KEY REFERENCES decisions(id),
        server_seq INTEGER
      );
      CREATE TRIGGER decision_server_order_no_update BEFORE UPDATE ON decision_server_order
        BEGIN SELECT RAISE(ABORT, 'the server order of a decision is recorded once'); END;
      CREATE TRIGGER decision_server_order_no_delete BEFORE DELETE ON decision_server_order
        BEGIN SELECT RAISE(ABORT, 'the server order of a decision is recorded once'); END;

      -- Decisions the server already has, as far as this desk knows: every one learnt from the
      -- server, and every one made here whose outbox row was sent. They keep their decision-time
      -- order among themselves; those still waiting come after them.
      INSERT INTO decision_server_order (decision_id, server_seq)
        SELECT d.id, NULL FROM decisions d
         WHERE d.made_here = 0
            OR EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'resolution' AND o.ref_id = d.id AND o.sent_at IS NOT NULL);

      CREATE TABLE decision_refusal_lifts (
        decision_id TEXT NOT NULL PRIMARY KEY REFERENCES decision_refusals(decision_id),
        lifted_at TEXT NOT NULL
      );
      CREATE TRIGGER decision_refusal_lifts_no_update BEFORE UPDATE ON decision_refusal_lifts
        BEGIN SELECT RAISE(ABORT, 'decision refusals are appended, never changed'); END;
      CREATE TRIGGER decision_refusal_lifts_no_delete BEFORE DELETE ON decision_refusal_lifts
        BEGIN SELECT RAISE(ABORT, 'decision refusals are appended, never changed'); END;

      CREATE TABLE witnessed_heads (
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        witnessed_at TEXT NOT NULL,
        learnt_at TEXT NOT NULL,
        PRIMARY KEY (seq, hash)
      );

      CREATE TABLE server_clock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        skew_ms INTEGER NOT NULL,
        uncertainty_ms INTEGER NOT NULL,
        measured_at TEXT NOT NULL
      );

      CREATE INDEX outbox_failed ON outbox(seq) WHERE failed = 1;
    `);
  },
};
