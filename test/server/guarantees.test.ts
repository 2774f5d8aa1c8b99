// The holes an outside review found in the one-vote guarantee (issue 12), each closed and
// pinned by a test that failed on the code before: black-box over HTTP, checked in the database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN, call, dropTestSchemas, ELECTION, ENGINES, expectStatus, makeMembers, receipt, startServer, setUpElection,
  type Election, type Member, type TestServer,
} from './harness';

afterAll(dropTestSchemas);

describe.each(ENGINES)('one vote per member on every path, on $name', (engine) => {
  let server: TestServer;
  let base: string;
  let election: Election;
  let north: string;
  let south: string;
  const members = makeMembers(50);
  /** members kept off the first register: their packs are imported later, one test at a time */
  let nextLate = 0;
  const late = (): Member => makeMembers(1, 900_000 + nextLate++, 'L')[0]!;

  beforeAll(async () => {
    server = await startServer(await engine.open());
    base = server.url;
    election = await setUpElection(base, members);
    north = election.centres.north!.token;
    south = election.centres.south!.token;
  });
  afterAll(async () => {
    await server?.close();
    await server?.db.close();
  });

  const send = (token: string, receipts: unknown[]) => call(base, 'POST', '/v1/receipts', { token, json: { receipts } });
  const redeem = (code: string) => call(base, 'POST', '/v1/online-codes/redeem', { token: election.integrationToken, json: { code } });
  const decide = (token: string, flagId: string, decision: string, supervisorId = 'sup-1') =>
    call(base, 'POST', `/v1/flags/${flagId}/resolution`, {
      token,
      json: { resolutionId: randomUUID(), decision, note: `decided ${decision}`, supervisorId, decidedAt: new Date().toISOString() },
    });
  const importPacks = async (...lines: string[]) =>
    expectStatus(
      await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, {
        token: ADMIN_TOKEN,
        csv: 'ballot_number,issue,status,member_ref,online_code\n' + lines.map((l) => `${l}\n`).join(''),
      }),
      200,
    );
  const line = (m: Member) => `${m.ballotNumber},1,issued,${m.ref},${m.code}`;
  const unknownFlag = async (token: string, m: Member) => {
    const r = await send(token, [receipt(m.barcode)]);
    expect(r.body.results[0]).toMatchObject({ outcome: 'flagged', flag: { kind: 'unknown_ballot' } });
    return r.body.results[0].flag as { flagId: string; relatedReceiptIds: string[] };
  };

  it('an envelope counted before its pack was on the register is the member\'s vote once the pack is imported', async () => {
    const m = late();
    const flag = await unknownFlag(north, m);
    expectStatus(await decide(north, flag.flagId, 'count'), 200);
    await importPacks(line(m));
    // Before: the counted envelope stayed with no member, and the online code redeemed (200).
    const r = await redeem(m.code);
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('postal_ballot_received');
    const { rows } = await server.db.query<{ code_state: string; counted: string }>(
      `select code_state, counted_receipt_id::text as counted from members where member_ref = $1`,
      [m.ref],
    );
    expect(rows[0]).toEqual({ code_state: 'deactivated', counted: (await receiptOfFlag(flag.flagId)) });
    // and a later envelope of the same pack is a duplicate of it, related to it
    const again = await send(south, [receipt(m.barcode)]);
    expect(again.body.results[0].flag).toMatchObject({ kind: 'duplicate_scan', relatedReceiptIds: [await receiptOfFlag(flag.flagId)] });
  });

  it('a member who voted online before the pack was imported: the counted envelope is referred to the returning officer, not counted', async () => {
    const m = late();
    const flag = await unknownFlag(north, m);
    expectStatus(await decide(north, flag.flagId, 'count'), 200);
    // The member's code exists only once the pack is imported; give the member a second pack
    // on an earlier import so the code can be redeemed first.
    await importPacks(`${m.ballotNumber + 50_000},1,issued,${m.ref},${m.code}`);
    expect((await redeem(m.code)).status).toBe(200);
    const cursor = await changesCursor(north);
    await importPacks(`${m.ballotNumber + 50_000},1,issued,${m.ref},${m.code}`, `${m.ballotNumber},1,superseded,${m.ref},`);
    const current = await currentDecision(flag.flagId);
    expect(current).toMatchObject({ decision: 'escalate', supervisor_id: 'central-server' });
    expect(current.note).toContain('voted online');
    const { rows } = await server.db.query<{ counted: string | null; code_state: string }>(
      `select counted_receipt_id::text as counted, code_state from members where member_ref = $1`,
      [m.ref],
    );
    expect(rows[0]).toEqual({ counted: null, code_state: 'redeemed' });
    // The desk learns it from its changes feed.
    const feed = await call(base, 'GET', `/v1/changes?after=${cursor}&limit=1000`, { token: north });
    expect(feed.body.events).toContainEqual(
      expect.objectContaining({ type: 'flag_resolved', resolution: expect.objectContaining({ flagId: flag.flagId, decision: 'escalate', supervisorId: 'central-server' }) }),
    );
  });

  it('one unknown envelope at two centres: related to each other, and only one can ever count', async () => {
    const m = late();
    const first = await unknownFlag(north, m);
    const second = await unknownFlag(south, m);
    // Before: relatedReceiptIds was [] for both, and both counts answered 200.
    expect(second.relatedReceiptIds).toEqual([await receiptOfFlag(first.flagId)]);
    expectStatus(await decide(north, first.flagId, 'count'), 200);
    const refused = await decide(south, second.flagId, 'count');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('envelope_counted');
    // set aside at north, the south copy may count instead
    expectStatus(await decide(north, first.flagId, 'set_aside'), 200);
    expectStatus(await decide(south, second.flagId, 'count'), 200);
  });

  it('the same unknown envelope sent by two centres at the same moment: the later one names the earlier', async () => {
    const pairs = Array.from({ length: 20 }, () => late());
    const answers = await Promise.all(pairs.flatMap((m) => [send(north, [receipt(m.barcode)]), send(south, [receipt(m.barcode)])]));
    for (let i = 0; i < pairs.length; i++) {
      const a = answers[2 * i]!.body.results[0].flag;
      const b = answers[2 * i + 1]!.body.results[0].flag;
      // exactly one of the two arrived second, and it relates the first
      expect(a.relatedReceiptIds.length + b.relatedReceiptIds.length).toBe(1);
    }
    // both counted at once: exactly one wins
    for (let i = 0; i < pairs.length; i++) {
      const a = answers[2 * i]!.body.results[0].flag.flagId;
      const b = answers[2 * i + 1]!.body.results[0].flag.flagId;
      const [ra, rb] = await Promise.all([decide(north, a, 'count'), decide(south, b, 'count')]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    }
  });

  it('the current decision is the one committed last, whatever the server processes\' clocks', async () => {
    // A second server process on the same database whose clock is 5 minutes ahead.
    const ahead = await startServer(server.db);
    ahead.clock.advance(5 * 60_000);
    try {
      const m = members[0]!;
      expectStatus(await send(north, [receipt(m.barcode)]), 200);
      const dup = await send(north, [receipt(m.barcode)]);
      const flagId = dup.body.results[0].flag.flagId;
      // set aside through the fast clock, then void through the true one: void is current
      expectStatus(await call(ahead.url, 'POST', `/v1/flags/${flagId}/resolution`, {
        token: north,
        json: { resolutionId: randomUUID(), decision: 'set_aside', note: 'n', supervisorId: 'sup-1', decidedAt: new Date().toISOString() },
      }), 200);
      const voided = await decide(north, flagId, 'void_receipt');
      // (read through the second process: its centre-summary window is fresh)
      const summary = await call(ahead.url, 'GET', '/v1/centre/summary', { token: north });
      const { rows } = await server.db.query<{ n: number }>(
        `select count(*)::int as n from flags f where f.centre_id = 'north'
           and (select r.decision from resolutions r where r.flag_id = f.flag_id order by r.seq desc limit 1) = 'set_aside'`,
      );
      // Before: the summary took the latest by the process's clock, the fast clock's set_aside.
      expect(summary.body.decisionsByKind.set_aside).toBe(rows[0]!.n);
      expect((await currentDecision(flagId)).decision).toBe('void_receipt');
      expect(voided.body.seq).toBeGreaterThan(0);
    } finally {
      await ahead.close();
    }
  });

  it('a receipt the desk flagged is flagged at the server too, with the server\'s kind where it has one', async () => {
    const [a, b] = [members[1]!, members[2]!];
    const r = await send(north, [receipt(a.barcode, { deskFlag: { kind: 'late_return' } }), receipt(b.barcode, { deskFlag: { kind: 'unknown_ballot' } })]);
    // Before: both accepted, and the members' online codes deactivated.
    expect(r.body.results[0]).toMatchObject({ outcome: 'flagged', onlineCode: 'none', flag: { kind: 'late_return' } });
    expect(r.body.results[1]).toMatchObject({ outcome: 'flagged', onlineCode: 'none', flag: { kind: 'unknown_ballot' } });
    expect((await redeem(a.code)).status).toBe(200); // the envelope set aside never took the vote
    // the supervisor's count reaches the server like any other decision: b counts now
    expectStatus(await decide(north, r.body.results[1].flag.flagId, 'count'), 200);
    expect((await redeem(b.code)).body.error).toBe('postal_ballot_received');
    // a duplicate the server sees is named by the server's kind, not the desk's
    const dup = await send(north, [receipt(b.barcode, { deskFlag: { kind: 'late_return' } })]);
    expect(dup.body.results[0].flag.kind).toBe('duplicate_scan');
  });

  it('audit heads: the same again keeps its first time, one behind or rewritten is refused and alerted', async () => {
    const h = (c: string) => c.repeat(64);
    const first = await call(base, 'POST', '/v1/audit-heads', { token: south, json: { seq: 10, hash: h('a'), receiptSeq: 7 } });
    expect(first.status).toBe(200);
    expect((await call(base, 'POST', '/v1/audit-heads', { token: south, json: { seq: 10, hash: h('a') } })).body).toEqual(first.body);
    expectStatus(await call(base, 'POST', '/v1/audit-heads', { token: south, json: { seq: 20, hash: h('b') } }), 200);
    // Before: each of these answered 200.
    const rewritten = await call(base, 'POST', '/v1/audit-heads', { token: south, json: { seq: 20, hash: h('c') } });
    expect(rewritten.status).toBe(409);
    expect(rewritten.contentType).toContain('application/problem+json');
    expect(rewritten.body.error).toBe('audit_history_rewritten');
    const behind = await call(base, 'POST', '/v1/audit-heads', { token: south, json: { seq: 15, hash: h('d') } });
    expect(behind.body.error).toBe('audit_history_rewritten');
    const latest = await call(base, 'GET', '/v1/audit-heads/latest', { token: south });
    expect(latest.body).toMatchObject({ seq: 20, hash: h('b') });
    const alerts = await call(base, 'GET', '/v1/admin/audit-alerts', { token: ADMIN_TOKEN });
    expect(alerts.body.alerts.filter((a: { deviceId: string }) => a.deviceId === election.centres.south!.deviceId)).toHaveLength(2);
    expect((await call(base, 'GET', '/metrics')).body).toMatch(/ballot_audit_history_rewritten_total \d+/);
    // A desk with no head witnessed yet
    const code = await call(base, 'POST', '/v1/admin/centres/north/enrolment-codes', { token: ADMIN_TOKEN });
    const fresh = (await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: 'no head yet' } })).body;
    expect((await call(base, 'GET', '/v1/audit-heads/latest', { token: fresh.token })).status).toBe(404);
  });

  it('sequence gaps are honest: rejected receipts are received, a desk enrolled again keeps its numbers, the lost tail is named', async () => {
    const enrol = async (name: string) => {
      const code = await call(base, 'POST', '/v1/admin/centres/north/enrolment-codes', { token: ADMIN_TOKEN });
      return (await call(base, 'POST', `/v1/enrol`, { json: { enrolmentCode: code.body.enrolmentCode, workstationName: name } })).body as { token: string; deviceId: string };
    };
    const first = await enrol('gap desk');
    const ms = members.slice(10, 16);
    await send(first.token, [receipt(ms[0]!.barcode, { workstationSeq: 1 }), receipt('1022000000000000', { workstationSeq: 2 }), receipt(ms[1]!.barcode, { workstationSeq: 3 })]);
    const again = await enrol('gap desk');
    await send(again.token, [receipt(ms[2]!.barcode, { workstationSeq: 4 }), receipt(ms[3]!.barcode, { workstationSeq: 6 })]);
    await call(base, 'POST', '/v1/audit-heads', { token: again.token, json: { seq: 30, hash: 'f'.repeat(64), receiptSeq: 9 } });
    const gaps = await call(base, 'GET', `/v1/admin/devices/${again.deviceId}/sequence-gaps`, { token: ADMIN_TOKEN });
    // Before: missing 1..3 (a false gap from the first enrolment) and nothing about 7..9.
    expect(gaps.body).toMatchObject({ highestSeq: 6, missing: [{ from: 5, to: 5 }], tail: { from: 7, to: 9 } });
    expect(gaps.body.enrolments).toEqual([
      expect.objectContaining({ deviceId: first.deviceId, lowestSeq: 1, highestSeq: 3, received: 3 }),
      expect.objectContaining({ deviceId: again.deviceId, lowestSeq: 4, highestSeq: 6, received: 2 }),
    ]);
  });

  it('records each desk\'s clock against the server\'s', async () => {
    const slow = new Date(Date.now() - 7 * 60_000).toISOString();
    expectStatus(await call(base, 'GET', '/v1/election', { token: north, headers: { 'x-desk-clock': slow } }), 200);
    await new Promise((r) => setTimeout(r, 200)); // written beside the request
    // (the centre summary answers from its 5 s window: read the admin's view)
    const gaps = await call(base, 'GET', `/v1/admin/devices/${election.centres.north!.deviceId}/sequence-gaps`, { token: ADMIN_TOKEN });
    expect(gaps.body.clockSkewMs).toBeLessThan(-6.5 * 60_000);
    expect(gaps.body.clockSkewMs).toBeGreaterThan(-7.5 * 60_000);
    const { rows } = await server.db.query<{ skew: number }>(`select clock_skew_ms as skew from devices where device_id = $1`, [election.centres.north!.deviceId]);
    expect(rows[0]!.skew).toBe(gaps.body.clockSkewMs);
  });

  it('an import that races a redeem never leaves the register feed saying the member has not voted online', async () => {
    // The import is held at its ballots step (after it has worked out what changed) by a row
    // lock taken from outside; meanwhile the member redeems. Before: the import's event, written
    // after the redeem's, said online_voted=false, and every desk believed it.
    const m = members[20]!;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockedP = new Promise<void>((r) => (locked = r));
    const holder = server.db.transaction(async (tx) => {
      await tx.query(`select 1 from ballots where election_number = $1 and ballot_number = $2 and issue = 1 for update`, [ELECTION, m.ballotNumber]);
      locked();
      await released;
    });
    await lockedP;
    // a reissue: pack 1 superseded, pack 2 issued
    const importing = call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, {
      token: ADMIN_TOKEN,
      csv: `ballot_number,issue,status,member_ref,online_code\n${m.ballotNumber},1,superseded,${m.ref},\n${m.ballotNumber},2,issued,${m.ref},${m.code}\n`,
    });
    await waitForLockWait(`insert into ballots`);
    expect((await redeem(m.code)).status).toBe(200);
    release();
    await holder;
    expectStatus(await importing, 200);
    const { rows } = await server.db.query<{ issue: number; online_voted: boolean }>(
      `select distinct on (issue) issue, online_voted from register_events
        where election_number = $1 and ballot_number = $2 order by issue, event_id desc`,
      [ELECTION, m.ballotNumber],
    );
    expect(rows).toEqual([{ issue: 1, online_voted: true }, { issue: 2, online_voted: true }]);
  });

  it('an import that loses a deadlock is tried again from where it stood, not answered with a 500', async () => {
    const m = members[21]!;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockedP = new Promise<void>((r) => (locked = r));
    // Outside: hold the pack's row, then ask for the import's own lock: a cycle. This side waits
    // longer before checking for deadlocks, so the import is the one PostgreSQL aborts; it gives
    // up after 3 s, letting the import's retry through.
    const holder = server.db
      .transaction(async (tx) => {
        await tx.query(`set local deadlock_timeout = '20s'`);
        await tx.query(`set local lock_timeout = '3s'`);
        await tx.query(`select 1 from ballots where election_number = $1 and ballot_number = $2 and issue = 1 for update`, [ELECTION, m.ballotNumber]);
        locked();
        await released;
        await tx.query('select pg_advisory_xact_lock(4022002, $1)', [ELECTION]);
      })
      .catch((e: unknown) => e);
    await lockedP;
    const importing = call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, {
      token: ADMIN_TOKEN,
      csv: `ballot_number,issue,status,member_ref,online_code\n${m.ballotNumber},1,cancelled,${m.ref},\n`,
    });
    await waitForLockWait(`insert into ballots`);
    release();
    const answer = await importing;
    expect(answer.status).toBe(200);
    expect(await holder).toMatchObject({ code: '55P03' }); // the outside side timed out: it was a real cycle
    const { rows } = await server.db.query<{ status: string }>(`select status from ballots where election_number = $1 and ballot_number = $2`, [ELECTION, m.ballotNumber]);
    expect(rows[0]!.status).toBe('cancelled');
  });

  /** Waits until some statement starting with `sql` waits for a lock. */
  async function waitForLockWait(sql: string): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const { rows } = await server.db.query(
        `select 1 from pg_stat_activity where wait_event_type = 'Lock' and ltrim(query) ilike $1`,
        [`${sql}%`],
      );
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nothing started waiting: ${sql}`);
  }

  async function receiptOfFlag(flagId: string): Promise<string> {
    const { rows } = await server.db.query<{ id: string }>(`select receipt_id::text as id from flags where flag_id = $1`, [flagId]);
    return rows[0]!.id;
  }
  async function currentDecision(flagId: string): Promise<{ decision: string; supervisor_id: string; note: string }> {
    const { rows } = await server.db.query<{ decision: string; supervisor_id: string; note: string }>(
      `select decision, supervisor_id, note from resolutions where flag_id = $1 order by seq desc limit 1`,
      [flagId],
    );
    return rows[0]!;
  }
  async function changesCursor(token: string): Promise<string> {
    let after = '0';
    for (;;) {
      const page = await call(base, 'GET', `/v1/changes?after=${after}&limit=10000`, { token });
      if (page.body.next === after) return after;
      after = page.body.next;
    }
  }
});
