// Every route of contracts.md §3 through real HTTP: happy paths and each refusal, on the embedded
// and (with DATABASE_URL) on an external PostgreSQL.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentralServer, LOG_REDACT } from '../../server/app';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { changesResponse, receiptsResponse, registerResponse } from '../../shared/protocol/central-api';
import {
  ADMIN_TOKEN, call, dropTestSchemas, ELECTION, ENGINES, expectStatus, makeMembers, receipt, SECRET, setUpElection, startServer,
  type Election, type TestServer,
} from './harness';

afterAll(dropTestSchemas);

describe.each(ENGINES)('central server API on $name', (engine) => {
  let server: TestServer;
  let base: string;
  let election: Election;
  const members = makeMembers(300);
  let north: string;
  let south: string;
  // each test takes members of its own, so tests stay independent
  let nextMember = 0;
  const take = (n = 1) => members.slice(nextMember, (nextMember += n));

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
  const redeem = (code: string, token = election.integrationToken) => call(base, 'POST', '/v1/online-codes/redeem', { token, json: { code } });
  /** the server's own record of when a member's code was redeemed */
  const redeemedAt = async (memberRef: string): Promise<string> => {
    const { rows } = await server.db.query<{ redeemed_at: Date }>(`select redeemed_at from members where election_number = $1 and member_ref = $2`, [ELECTION, memberRef]);
    return rows[0]!.redeemed_at.toISOString();
  };

  describe('authentication', () => {
    it('refuses a missing or unknown token with 401 and a wrong kind with 403, as problem+json', async () => {
      const missing = await call(base, 'GET', '/v1/election');
      expect(missing.status).toBe(401);
      expect(missing.contentType).toContain('application/problem+json');
      expect(missing.body).toMatchObject({ type: expect.any(String), title: 'Unauthorized', status: 401, detail: expect.any(String), error: 'unauthorized' });
      expect((await call(base, 'GET', '/v1/election', { token: 'bid_nonsense' })).status).toBe(401);
      expect((await call(base, 'GET', '/v1/election', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
      expect((await call(base, 'GET', '/v1/election', { token: election.integrationToken })).status).toBe(403);
      expect((await call(base, 'GET', '/v1/election', { token: ADMIN_TOKEN })).status).toBe(403);
      expect((await redeem('ABCDEFGH', north)).status).toBe(403);
      expect((await call(base, 'POST', '/v1/admin/integration-tokens', { token: north })).status).toBe(403);
      expect((await call(base, 'POST', '/v1/admin/integration-tokens', { token: 'wrong' })).status).toBe(401);
    });

    it('refuses a revoked device at once', async () => {
      const code = await call(base, 'POST', '/v1/admin/centres/north/enrolment-codes', { token: ADMIN_TOKEN });
      const enrol = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: 'to revoke' } });
      expectStatus(enrol, 201);
      expectStatus(await call(base, 'GET', '/v1/election', { token: enrol.body.token }), 200);
      const revoke = await call(base, 'POST', `/v1/admin/devices/${enrol.body.deviceId}/revoke`, { token: ADMIN_TOKEN });
      expect(revoke.status).toBe(200);
      expect(revoke.body.deviceId).toBe(enrol.body.deviceId);
      expect((await call(base, 'GET', '/v1/election', { token: enrol.body.token })).status).toBe(401);
      expect((await send(enrol.body.token, [receipt(take()[0]!.barcode)])).status).toBe(401);
      expect((await call(base, 'POST', `/v1/admin/devices/${randomUUID()}/revoke`, { token: ADMIN_TOKEN })).status).toBe(404);
    });
  });

  describe('enrolment', () => {
    it('enrols once per code; refuses unknown, reused and expired codes and unknown fields', async () => {
      const code = await call(base, 'POST', '/v1/admin/centres/south/enrolment-codes', { token: ADMIN_TOKEN });
      expect(code.status).toBe(201);
      expect(code.body.enrolmentCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(Date.parse(code.body.expiresAt)).toBeGreaterThan(Date.now());
      const extra = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: 'x', colour: 'red' } });
      expect(extra.status).toBe(400);
      expect(extra.body.error).toBe('invalid_request');
      // lower case and without hyphens is the same code
      const typed = code.body.enrolmentCode.replace(/-/g, '').toLowerCase();
      const ok = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: typed, workstationName: 'South desk 2' } });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({ deviceId: expect.any(String), centreId: 'south', centreName: 'Centre south', electionNumber: ELECTION, token: expect.any(String) });
      const again = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: 'South desk 3' } });
      expect(again.status).toBe(409);
      expect(again.body.error).toBe('enrolment_code_used');
      const unknown = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: 'AAAA-BBBB-CCCC', workstationName: 'x' } });
      expect(unknown.status).toBe(401);
      expect(unknown.body.error).toBe('unknown_enrolment_code');

      const short = await call(base, 'POST', '/v1/admin/centres/south/enrolment-codes', { token: ADMIN_TOKEN, json: { validMinutes: 5 } });
      server.clock.advance(6 * 60_000);
      try {
        const expired = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: short.body.enrolmentCode, workstationName: 'late' } });
        expect(expired.status).toBe(410);
        expect(expired.body.error).toBe('enrolment_code_expired');
      } finally {
        server.clock.advance(-6 * 60_000);
      }
      expect((await call(base, 'POST', '/v1/admin/centres/nowhere/enrolment-codes', { token: ADMIN_TOKEN })).status).toBe(404);
    });

    it('limits enrolment attempts per client address', async () => {
      const limited = await createCentralServer({ db: server.db, secret: SECRET, enrolAttemptsPerMinute: 3 });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await limited.app.inject({ method: 'POST', url: '/v1/enrol', payload: { enrolmentCode: `ZZZZ-ZZZZ-ZZZ${i}`, workstationName: 'guess' } });
          statuses.push(r.statusCode);
        }
        expect(statuses).toEqual([401, 401, 401, 429, 429]);
      } finally {
        await limited.app.close();
      }
    });
  });

  it('GET /v1/election names the election and centre', async () => {
    const r = await call(base, 'GET', '/v1/election', { token: north });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ electionNumber: ELECTION, name: 'Leadership election 2026', closesAt: expect.any(String), centreId: 'north', centreName: 'Centre north' });
  });

  describe('receipts', () => {
    it('accepts a valid envelope and deactivates the online code in the same step', async () => {
      const [m] = take();
      const r = await send(north, [receipt(m!.barcode)]);
      expect(r.status).toBe(200);
      receiptsResponse.parse(r.body);
      expect(r.body.results[0]).toMatchObject({ outcome: 'accepted', onlineCode: 'deactivated', receivedAt: expect.any(String) });
      expect(r.body.results[0].flag).toBeUndefined();
      const late = await redeem(m!.code);
      expect(late.status).toBe(409);
      expect(late.body.error).toBe('postal_ballot_received');
    });

    it('rejects bad barcodes and other elections per item, with the words of §1', async () => {
      const [m] = take();
      const other = encodeBarcode(1023, 5, 1);
      const r = await send(north, [
        receipt('1022000000001185'),
        receipt('12345'),
        receipt('10220000000A1184'),
        receipt(other),
        receipt(`]C0${m!.barcode}\r\n`),
      ]);
      expect(r.status).toBe(200);
      expect(r.body.results.map((x: any) => [x.outcome, x.error])).toEqual([
        ['rejected', 'check digits do not match'],
        ['rejected', 'wrong length'],
        ['rejected', 'not digits'],
        ['rejected', 'election 1023 is not this election'],
        ['accepted', undefined],
      ]);
    });

    it('refuses a whole request with unknown fields, an empty list or more than 500 receipts', async () => {
      const [m] = take();
      const unknown = await send(north, [{ ...receipt(m!.barcode), colour: 'red' }]);
      expect(unknown.status).toBe(400);
      expect(unknown.contentType).toContain('application/problem+json');
      expect((await call(base, 'POST', '/v1/receipts', { token: north, json: { receipts: [receipt(m!.barcode)], extra: 1 } })).status).toBe(400);
      expect((await send(north, [])).status).toBe(400);
      const big = Array.from({ length: 501 }, () => receipt(m!.barcode));
      const oversize = await send(north, big);
      expect(oversize.status).toBe(400);
      expect(oversize.body.detail).toContain('500');
      expect((await call(base, 'POST', '/v1/receipts', { token: north, headers: { 'content-type': 'application/json' } })).status).toBe(400);
      const bad = await fetch(base + '/v1/receipts', { method: 'POST', headers: { authorization: `Bearer ${north}`, 'content-type': 'application/json' }, body: '{"receipts": [' });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      // nothing of it was stored: the envelope is still new
      expect((await send(north, [receipt(m!.barcode)])).body.results[0].outcome).toBe('accepted');
    });

    it('flags in the order of §4: unknown, duplicate, superseded, member returned, voted online, late', async () => {
      const [a, b, c, d] = take(4);
      // a reissue for b: issue 1 superseded, issue 2 issued; c's pack cancelled
      const reissue =
        'ballot_number,issue,status,member_ref,online_code\n' +
        `${b!.ballotNumber},1,superseded,${b!.ref},\n` +
        `${b!.ballotNumber},2,issued,${b!.ref},${b!.code}\n` +
        `${c!.ballotNumber},1,cancelled,${c!.ref},\n`;
      const imp = await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, csv: reissue });
      expect(imp.status).toBe(200);
      expect(imp.body).toEqual({ imported: 3, changed: 3 });
      expectStatus(await redeem(d!.code), 200);
      const closesAt = (await call(base, 'GET', '/v1/election', { token: north })).body.closesAt;
      const b2 = encodeBarcode(ELECTION, b!.ballotNumber, 2);
      const first = receipt(a!.barcode);
      const r = await send(north, [
        receipt(encodeBarcode(ELECTION, 999_999, 1)), // not in the register
        first,
        receipt(a!.barcode), // same envelope again
        receipt(b!.barcode), // replaced pack
        receipt(b2), // b's valid pack: accepted
        receipt(encodeBarcode(ELECTION, b!.ballotNumber, 3)), // unknown issue
        receipt(c!.barcode), // cancelled
        receipt(d!.barcode), // voted online
      ]);
      const late = await send(north, [receipt(take()[0]!.barcode, { scannedAt: new Date(Date.parse(closesAt) + 1000).toISOString() })]);
      const kinds = r.body.results.map((x: any) => x.flag?.kind ?? x.outcome);
      expect(kinds).toEqual(['unknown_ballot', 'accepted', 'duplicate_scan', 'superseded_ballot', 'member_already_returned', 'unknown_ballot', 'superseded_ballot', 'online_vote_cast']);
      expect(r.body.results[2].flag.relatedReceiptIds).toEqual([first.receiptId]);
      expect(r.body.results[4].flag.relatedReceiptIds).toHaveLength(1);
      expect(r.body.results[7].onlineCode).toBe('already_redeemed');
      expect(r.body.results.filter((x: any) => x.outcome === 'flagged' && x.flag.kind !== 'online_vote_cast').every((x: any) => x.onlineCode === 'none')).toBe(true);
      expect(late.body.results[0]).toMatchObject({ outcome: 'flagged', flag: { kind: 'late_return' }, onlineCode: 'none' });
    });

    it('is idempotent: the same receipt three times, interleaved, gives one receipt and three identical results', async () => {
      const [m, x, y] = take(3);
      const same = receipt(m!.barcode);
      const r1 = await send(north, [same, receipt(x!.barcode)]);
      const r2 = await send(north, [receipt(y!.barcode), same]);
      const r3 = await send(north, [same]);
      expect(r1.body.results[0]).toEqual(r2.body.results[1]);
      expect(r1.body.results[0]).toEqual(r3.body.results[0]);
      expect(r1.body.results[0].outcome).toBe('accepted');
      const { rows } = await server.db.query<{ n: number }>(`select count(*)::int as n from receipts where receipt_id = $1`, [same.receiptId]);
      expect(rows[0]!.n).toBe(1);
      // the same id with other content is a conflict and changes nothing
      const changed = await send(north, [{ ...same, operatorId: 'someone-else' }]);
      expect(changed.body.results[0]).toMatchObject({ receiptId: same.receiptId, outcome: 'rejected', error: 'conflict' });
      const again = await send(north, [same, same]);
      expect(again.body.results[0]).toEqual(r1.body.results[0]);
      expect(again.body.results[1]).toEqual(r1.body.results[0]);
      // the same id from another centre is another receipt: conflict
      expect((await send(south, [same])).body.results[0].error).toBe('conflict');
      // a desk of the same centre enrolled again (new device token) re-sending a receipt whose
      // answer it never got: the same receipt, the same result
      const code = await call(base, 'POST', '/v1/admin/centres/north/enrolment-codes', { token: ADMIN_TOKEN });
      const reEnrolled = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: 'north desk 1 again' } });
      expectStatus(reEnrolled, 201);
      expect((await send(reEnrolled.body.token, [same])).body.results[0]).toEqual(r1.body.results[0]);
    });
  });

  describe('online codes', () => {
    it('redeems once; then already_redeemed; unknown codes are 404; unknown fields 400', async () => {
      const [m] = take();
      const r = await redeem(m!.code.toLowerCase());
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: 'redeemed', memberRef: m!.ref });
      const again = await redeem(m!.code);
      expect(again.status).toBe(409);
      expect(again.body.error).toBe('already_redeemed');
      expect(again.contentType).toContain('application/problem+json');
      const unknown = await redeem('NOSUCHCODE1');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('unknown_code');
      expect((await call(base, 'POST', '/v1/online-codes/redeem', { token: election.integrationToken, json: { code: m!.code, memberRef: 'x' } })).status).toBe(400);
      // an envelope arriving afterwards is flagged, and says why
      const late = await send(south, [receipt(m!.barcode)]);
      expect(late.body.results[0]).toMatchObject({ outcome: 'flagged', flag: { kind: 'online_vote_cast' }, onlineCode: 'already_redeemed' });
    });
  });

  describe('register feed', () => {
    it('pages by cursor, never returns a null cursor, and later returns only what changed', async () => {
      let after: string | undefined;
      let total = 0;
      for (;;) {
        const r = await call(base, 'GET', `/v1/register?limit=128${after ? `&after=${after}` : ''}`, { token: north });
        expect(r.status).toBe(200);
        registerResponse.parse(r.body);
        expect(r.body.next).toEqual(expect.any(String));
        total += r.body.entries.length;
        after = r.body.next;
        if (r.body.entries.length < 128) break;
      }
      expect(total).toBeGreaterThanOrEqual(300);
      const caughtUp = await call(base, 'GET', `/v1/register?after=${after}`, { token: south });
      expect(caughtUp.body).toEqual({ entries: [], next: after });
      const [m] = take();
      await redeem(m!.code);
      const changed = await call(base, 'GET', `/v1/register?after=${after}`, { token: north });
      expect(changed.body.entries).toEqual([
        { ballotNumber: m!.ballotNumber, issue: 1, status: 'issued', memberRef: m!.ref, onlineVoted: true, onlineVotedAt: await redeemedAt(m!.ref) },
      ]);
      // no online codes ever leave the server
      expect(JSON.stringify(changed.body)).not.toContain(m!.code);
      expect((await call(base, 'GET', '/v1/register?limit=10001', { token: north })).status).toBe(400);
      expect((await call(base, 'GET', '/v1/register?after=abc', { token: north })).status).toBe(400);
      expect((await call(base, 'GET', '/v1/register?colour=red', { token: north })).status).toBe(400);
    });
  });

  describe('when a member voted online', () => {
    it('both feeds carry the redemption time, only for members who voted online, and a re-import keeps it', async () => {
      const start = (await call(base, 'GET', '/v1/changes?limit=10000', { token: north })).body.next as string;
      const [voter, other] = take(2);
      expectStatus(await redeem(voter!.code), 200);
      const votedAt = await redeemedAt(voter!.ref);
      expect(votedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // a reissue for the voter and a cancellation for someone else, imported after the vote
      const reissue = ['ballot_number,issue,status,member_ref,online_code', `${voter!.ballotNumber},1,superseded,${voter!.ref},`,
        `${voter!.ballotNumber},2,issued,${voter!.ref},${voter!.code}`, `${other!.ballotNumber},1,cancelled,${other!.ref},`].join('\n') + '\n';
      expectStatus(await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, csv: reissue }), 200);

      const register = await call(base, 'GET', `/v1/register?after=${start}`, { token: north });
      registerResponse.parse(register.body);
      const changes = await call(base, 'GET', `/v1/changes?after=${start}`, { token: north });
      changesResponse.parse(changes.body);
      const fromChanges = changes.body.events.filter((e: any) => e.type === 'register').map((e: any) => e.entry);
      for (const entries of [register.body.entries, fromChanges]) {
        expect(entries).toEqual([
          { ballotNumber: voter!.ballotNumber, issue: 1, status: 'issued', memberRef: voter!.ref, onlineVoted: true, onlineVotedAt: votedAt },
          { ballotNumber: voter!.ballotNumber, issue: 1, status: 'superseded', memberRef: voter!.ref, onlineVoted: true, onlineVotedAt: votedAt },
          { ballotNumber: voter!.ballotNumber, issue: 2, status: 'issued', memberRef: voter!.ref, onlineVoted: true, onlineVotedAt: votedAt },
          // no vote, no field: the bulk of a catch-up stays as small as before
          { ballotNumber: other!.ballotNumber, issue: 1, status: 'cancelled', memberRef: other!.ref, onlineVoted: false },
        ]);
      }
    });

    it("the flag on a later envelope says when the member voted online", async () => {
      const [m] = take();
      expectStatus(await redeem(m!.code), 200);
      const late = await send(south, [receipt(m!.barcode)]);
      expect(late.body.results[0]).toMatchObject({
        outcome: 'flagged',
        flag: { kind: 'online_vote_cast', detail: `the member already voted online at ${await redeemedAt(m!.ref)}` },
      });
    });
  });

  describe('flags, resolutions and the changes feed', () => {
    it('tells both centres about a cross-centre duplicate; only the flagged centre may resolve', async () => {
      const [m] = take();
      const startNorth = (await call(base, 'GET', '/v1/changes?limit=10000', { token: north })).body.next;
      const startSouth = (await call(base, 'GET', '/v1/changes?limit=10000', { token: south })).body.next;
      const a = receipt(m!.barcode, { operatorId: 'op-n' });
      expect((await send(north, [a])).body.results[0].outcome).toBe('accepted');
      const b = receipt(m!.barcode, { operatorId: 'op-s' });
      const flagged = (await send(south, [b])).body.results[0];
      expect(flagged).toMatchObject({ outcome: 'flagged', flag: { kind: 'duplicate_scan', relatedReceiptIds: [a.receiptId] } });
      // the words say where and when the first copy arrived, but never another centre's
      // workstation by name (these words reach north too, and north's desks are north's business)
      expect(flagged.flag.detail).toMatch(/^this envelope was already received \(1 earlier receipt, at centre north; the first: centre north, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
      expect(flagged.flag.detail).not.toContain('north desk 1');
      const nChanges = await call(base, 'GET', `/v1/changes?after=${startNorth}`, { token: north });
      const sChanges = await call(base, 'GET', `/v1/changes?after=${startSouth}`, { token: south });
      changesResponse.parse(nChanges.body);
      for (const c of [nChanges, sChanges]) {
        expect(c.body.events.filter((e: any) => e.type === 'flag_raised').map((e: any) => e.flag.flagId)).toEqual([flagged.flag.flagId]);
      }
      const flagId = flagged.flag.flagId;
      const resolution = { resolutionId: randomUUID(), decision: 'void_receipt', note: 'scanned twice', supervisorId: 'sup-s', decidedAt: new Date().toISOString() };
      // another centre's flag does not exist for it
      expect((await call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: north, json: resolution })).status).toBe(404);
      expect((await call(base, 'POST', `/v1/flags/not-a-uuid/resolution`, { token: south, json: resolution })).status).toBe(404);
      // the supervisor who scanned it may not decide
      const own = await call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: south, json: { ...resolution, supervisorId: 'op-s' } });
      expect(own.status).toBe(403);
      // counting it would give the member a second vote
      const count = await call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: south, json: { ...resolution, resolutionId: randomUUID(), decision: 'count' } });
      expect(count.status).toBe(409);
      expect((await call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: south, json: { ...resolution, extra: 1 } })).status).toBe(400);
      const ok1 = await call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: south, json: resolution });
      expect(ok1.status).toBe(200);
      expect(ok1.body).toMatchObject({ resolutionId: resolution.resolutionId, flagId, decision: 'void_receipt' });
      const ok2 = await call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: south, json: resolution });
      expect(ok2.status).toBe(200);
      expect(ok2.body).toEqual(ok1.body);
      const changedReuse = await call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: south, json: { ...resolution, note: 'other' } });
      expect(changedReuse.status).toBe(409);
      const resolvedSeen = await call(base, 'GET', `/v1/changes?after=${nChanges.body.next}`, { token: north });
      expect(resolvedSeen.body.events.filter((e: any) => e.type === 'flag_resolved').map((e: any) => e.resolution.resolutionId)).toEqual([resolution.resolutionId]);
    });

    it("names the first copy's workstation only when every earlier copy is at the caller's own centre", async () => {
      const code = await call(base, 'POST', '/v1/admin/centres/north/enrolment-codes', { token: ADMIN_TOKEN });
      const desk2 = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: 'north desk 2' } });
      expectStatus(desk2, 201);
      const [same, mixed] = take(2);
      const when = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC';

      // the same envelope at two desks of one centre: the supervisor is told which desk had it first
      expect((await send(north, [receipt(same!.barcode)])).body.results[0].outcome).toBe('accepted');
      const atDesk2 = (await send(desk2.body.token, [receipt(same!.barcode)])).body.results[0];
      expect(atDesk2.flag.kind).toBe('duplicate_scan');
      expect(atDesk2.flag.detail).toMatch(new RegExp(`^this envelope was already received \\(1 earlier receipt, at this centre; the first: north desk 1, ${when}\\)$`));

      // first at this centre, then at another: the words also go to that other centre, so no desk is named
      expect((await send(north, [receipt(mixed!.barcode)])).body.results[0].outcome).toBe('accepted');
      expect((await send(south, [receipt(mixed!.barcode)])).body.results[0].flag.kind).toBe('duplicate_scan');
      const third = (await send(desk2.body.token, [receipt(mixed!.barcode)])).body.results[0];
      expect(third.flag.detail).toMatch(new RegExp(`^this envelope was already received \\(2 earlier receipts, at centre south; the first: centre north, ${when}\\)$`));
      expect(third.flag.detail).not.toContain('desk');
    });

    it('counts a late envelope on decision, which deactivates the code; refuses count for online votes', async () => {
      const [m, v] = take(2);
      const closesAt = (await call(base, 'GET', '/v1/election', { token: north })).body.closesAt;
      const lateScan = { scannedAt: new Date(Date.parse(closesAt) + 60_000).toISOString() };
      const late = (await send(north, [receipt(m!.barcode, lateScan)])).body.results[0];
      expect(late.flag.kind).toBe('late_return');
      const decide = (flagId: string, decision: string) =>
        call(base, 'POST', `/v1/flags/${flagId}/resolution`, { token: north, json: { resolutionId: randomUUID(), decision, note: 'decided', supervisorId: 'sup-1', decidedAt: new Date().toISOString() } });
      expect((await decide(late.flag.flagId, 'count')).status).toBe(200);
      expect((await redeem(m!.code)).body.error).toBe('postal_ballot_received');
      await redeem(v!.code);
      const online = (await send(north, [receipt(v!.barcode)])).body.results[0];
      expect(online.flag.kind).toBe('online_vote_cast');
      expect((await decide(online.flag.flagId, 'count')).status).toBe(409);
      expect((await decide(online.flag.flagId, 'set_aside')).status).toBe(200);
      expect((await decide(randomUUID(), 'escalate')).status).toBe(404);
    });
  });

  describe('administration', () => {
    it('creates elections and centres once; refuses unknown elections and fields', async () => {
      const dup = await call(base, 'POST', '/v1/admin/elections', { token: ADMIN_TOKEN, json: { electionNumber: ELECTION, name: 'again', closesAt: new Date().toISOString() } });
      expect(dup.status).toBe(409);
      const e2 = await call(base, 'POST', '/v1/admin/elections', { token: ADMIN_TOKEN, json: { electionNumber: 77, name: 'By-election', closesAt: '2030-01-01T00:00:00Z' } });
      expect(e2.status).toBe(201);
      expect(e2.body).toEqual({ electionNumber: 77, name: 'By-election', closesAt: '2030-01-01T00:00:00.000Z' });
      expect((await call(base, 'POST', '/v1/admin/elections', { token: ADMIN_TOKEN, json: { electionNumber: 78, name: 'x', closesAt: 'soon' } })).status).toBe(400);
      expect((await call(base, 'POST', '/v1/admin/elections', { token: ADMIN_TOKEN, json: { electionNumber: 78, name: 'x', closesAt: '2030-01-01T00:00:00Z', x: 1 } })).status).toBe(400);
      expect((await call(base, 'POST', '/v1/admin/centres', { token: ADMIN_TOKEN, json: { centreId: 'c77', name: 'C', electionNumber: 4444 } })).status).toBe(404);
      expect((await call(base, 'POST', '/v1/admin/centres', { token: ADMIN_TOKEN, json: { centreId: 'north', name: 'C', electionNumber: 77 } })).status).toBe(409);
      expect((await call(base, 'POST', '/v1/admin/integration-tokens', { token: ADMIN_TOKEN, json: { x: 1 } })).status).toBe(400);
    });

    it('refuses a malformed register whole, with physical line numbers, and changes nothing', async () => {
      const before = await server.db.query<{ n: number }>(`select count(*)::int as n from register_events`);
      const csv =
        'ballot_number,issue,status,member_ref,online_code\n' +
        '900001,1,issued,NEW-1,NEWCODE0001\n' +
        '900002,1,issued,"NEW\n2",NEWCODE0002\n' + // lines 3-4: control character
        '900003,x,issued,NEW-3,NEWCODE0003\n' + // line 5
        '900004,1,issued,NEW-4,\n'; // line 6
      const r = await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, csv });
      expect(r.status).toBe(400);
      expect(r.contentType).toContain('application/problem+json');
      expect(r.body.errors.map((e: any) => e.line)).toEqual([3, 5, 6]);
      // rules across rows and against the database
      const cross =
        'ballot_number,issue,status,member_ref,online_code\n' +
        '900001,1,issued,NEW-1,NEWCODE0001\n' +
        '900001,1,issued,NEW-1,NEWCODE0001\n' + // line 3: listed twice
        `900005,1,issued,NEW-5,${members[0]!.code}\n`; // line 4: another member's code
      const r2 = await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, csv: cross });
      expect(r2.status).toBe(400);
      expect(r2.body.errors.map((e: any) => e.line)).toEqual([3, 4]);
      const after = await server.db.query<{ n: number }>(`select count(*)::int as n from register_events`);
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
      const { rows } = await server.db.query(`select 1 from members where member_ref like 'NEW-%'`);
      expect(rows).toHaveLength(0);
      expect((await call(base, 'POST', `/v1/admin/elections/4444/register`, { token: ADMIN_TOKEN, csv: cross })).status).toBe(404);
      expect((await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, json: {} })).status).toBe(415);
      // importing the same file again changes nothing
      const same = await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, csv: 'ballot_number,issue,status,member_ref,online_code\n' + `${members[299]!.ballotNumber},1,issued,${members[299]!.ref},${members[299]!.code}\n` });
      expect(same.body).toEqual({ imported: 1, changed: 0 });
      // a charset parameter on the media type is fine
      const withCharset = await fetch(`${base}/v1/admin/elections/${ELECTION}/register`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv; charset=utf-8' },
        body: 'ballot_number,issue,status,member_ref,online_code\r\n',
      });
      expect(withCharset.status).toBe(200);
      expect(await withCharset.json()).toEqual({ imported: 0, changed: 0 });
    });
  });

  it('shows gaps in a workstation\'s sequence numbers', async () => {
    const code = await call(base, 'POST', '/v1/admin/centres/north/enrolment-codes', { token: ADMIN_TOKEN });
    const desk = (await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: 'gappy' } })).body;
    const ms = take(4);
    const r = await send(desk.token, [1, 2, 5, 9].map((seq, k) => receipt(ms[k]!.barcode, { workstationSeq: seq })));
    expect(r.body.results.map((x: any) => x.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const gaps = await call(base, 'GET', `/v1/admin/devices/${desk.deviceId}/sequence-gaps`, { token: ADMIN_TOKEN });
    expect(gaps.body).toMatchObject({ deviceId: desk.deviceId, highestSeq: 9, missing: [{ from: 3, to: 4 }, { from: 6, to: 8 }], tail: null, lastAuditHead: null });
    expect((await call(base, 'GET', `/v1/admin/devices/${randomUUID()}/sequence-gaps`, { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it('witnesses audit-chain heads', async () => {
    const r = await call(base, 'POST', '/v1/audit-heads', { token: north, json: { seq: 42, hash: 'ab'.repeat(32) } });
    expect(r.status).toBe(200);
    const again = await call(base, 'POST', '/v1/audit-heads', { token: north, json: { seq: 42, hash: 'ab'.repeat(32) } });
    expect(again.body).toEqual(r.body);
    expect((await call(base, 'POST', '/v1/audit-heads', { token: north, json: { seq: 1 } })).status).toBe(400);
  });

  it('serves health, metrics, the OpenAPI document and problem+json for unknown routes', async () => {
    expect((await call(base, 'GET', '/healthz')).status).toBe(200);
    const metrics = await call(base, 'GET', '/metrics');
    expect(metrics.body).toContain('ballot_receipts_total{outcome="accepted",kind="none"}');
    expect(metrics.body).toMatch(/ballot_receipts_total\{outcome="flagged",kind="duplicate_scan"\} \d+/);
    expect(metrics.body).toMatch(/ballot_online_code_redemptions_total\{result="redeemed"\} \d+/);
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    const doc = await call(base, 'GET', '/v1/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/enrol', '/v1/receipts', '/v1/online-codes/redeem', '/v1/admin/elections/{electionNumber}/register']));
    const receiptSchema = doc.body.paths['/v1/receipts'].post.requestBody.content['application/json'].schema;
    expect(receiptSchema.additionalProperties).toBe(false);
    const missing = await call(base, 'GET', '/v1/nothing');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
  });

  it('never writes tokens or codes to its logs', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logged = await createCentralServer({ db: server.db, secret: SECRET, logger: { level: 'trace', redact: LOG_REDACT, stream } });
    try {
      const code = await logged.app.inject({ method: 'POST', url: '/v1/admin/centres/north/enrolment-codes', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const enrolmentCode = code.json().enrolmentCode;
      const enrol = await logged.app.inject({ method: 'POST', url: '/v1/enrol', payload: { enrolmentCode, workstationName: 'logged' } });
      const token = enrol.json().token;
      await logged.app.inject({ method: 'GET', url: '/v1/election', headers: { authorization: `Bearer ${token}` } });
      const [m] = take();
      await logged.app.inject({ method: 'POST', url: '/v1/online-codes/redeem', headers: { authorization: `Bearer ${election.integrationToken}` }, payload: { code: m!.code } });
      await logged.app.inject({ method: 'POST', url: '/v1/online-codes/redeem', headers: { authorization: `Bearer ${token}` }, payload: { code: m!.code } });
      const all = lines.join('');
      expect(lines.length).toBeGreaterThan(4);
      for (const secret of [ADMIN_TOKEN, enrolmentCode, token, election.integrationToken, m!.code]) expect(all).not.toContain(secret);
    } finally {
      await logged.app.close();
    }
  });
});
