// GET /v1/centre/summary through real HTTP: the caller's centre only, every desk of it, flags
// by kind, decisions by each flag's latest resolution, witnessed audit heads, revoked desks.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { centreSummaryResponse } from '../../shared/protocol/central-api';
import {
  ADMIN_TOKEN, call, dropTestSchemas, ELECTION, ENGINES, expectStatus, makeMembers, receipt, setUpElection, startServer,
  type Election, type TestServer,
} from './harness';

afterAll(dropTestSchemas);

describe.each(ENGINES)('centre summary on $name', (engine) => {
  let server: TestServer;
  let base: string;
  let election: Election;
  const members = makeMembers(40);
  let north1: { token: string; deviceId: string };
  let north2: { token: string; deviceId: string };
  let north3: { token: string; deviceId: string };
  let south: { token: string; deviceId: string };

  const send = async (token: string, receipts: Array<Record<string, unknown>>) => {
    const r = await call(base, 'POST', '/v1/receipts', { token, json: { receipts } });
    expectStatus(r, 200);
    return r.body.results as Array<{ outcome: string; flag?: { flagId: string; kind: string } }>;
  };
  const enrolAt = async (centreId: string, name: string) => {
    const code = await call(base, 'POST', `/v1/admin/centres/${centreId}/enrolment-codes`, { token: ADMIN_TOKEN });
    const enrol = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: name } });
    expectStatus(enrol, 201);
    return { token: enrol.body.token as string, deviceId: enrol.body.deviceId as string };
  };
  const decide = async (token: string, flagId: string, decision: string) =>
    expectStatus(
      await call(base, 'POST', `/v1/flags/${flagId}/resolution`, {
        token,
        json: { resolutionId: randomUUID(), decision, note: 'decided', supervisorId: 'sup-1', decidedAt: new Date().toISOString() },
      }),
      200,
    );
  const summary = (token?: string, path = '/v1/centre/summary') => call(base, 'GET', path, token ? { token } : {});

  beforeAll(async () => {
    server = await startServer(await engine.open());
    base = server.url;
    election = await setUpElection(base, members);
    north1 = election.centres.north!;
    south = election.centres.south!;
    north2 = await enrolAt('north', 'north desk 2');
    north3 = await enrolAt('north', 'north desk 3');

    const m = members;
    // north desk 1: three accepted, one unknown ballot
    const unknown = encodeBarcode(ELECTION, 900_001, 1);
    const d1 = await send(north1.token, [receipt(m[0]!.barcode), receipt(m[1]!.barcode), receipt(m[2]!.barcode), receipt(unknown), receipt('12345')]);
    expect(d1.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'flagged', 'rejected']);
    // north desk 2: one accepted, a duplicate of desk 1's envelope, a member who voted online
    expectStatus(await call(base, 'POST', '/v1/online-codes/redeem', { token: election.integrationToken, json: { code: m[4]!.code } }), 200);
    const d2 = await send(north2.token, [receipt(m[3]!.barcode), receipt(m[0]!.barcode), receipt(m[4]!.barcode)]);
    expect(d2.map((r) => r.flag?.kind ?? r.outcome)).toEqual(['accepted', 'duplicate_scan', 'online_vote_cast']);
    // north desk 3: one accepted, then revoked
    await send(north3.token, [receipt(m[5]!.barcode)]);
    // south: two accepted and a duplicate of north's envelope (a flag of south's, not north's)
    const s = await send(south.token, [receipt(m[6]!.barcode), receipt(m[7]!.barcode), receipt(m[1]!.barcode)]);
    expect(s.map((r) => r.flag?.kind ?? r.outcome)).toEqual(['accepted', 'accepted', 'duplicate_scan']);
    await decide(south.token, s[2]!.flag!.flagId, 'void_receipt');

    // Decisions are appended; the latest counts. The clock moves between them so "latest" is plain.
    await decide(north1.token, d1[3]!.flag!.flagId, 'escalate');
    server.clock.advance(1_000);
    await decide(north1.token, d1[3]!.flag!.flagId, 'set_aside');
    server.clock.advance(1_000);
    await decide(north2.token, d2[1]!.flag!.flagId, 'set_aside');
    server.clock.advance(1_000);
    await decide(north2.token, d2[1]!.flag!.flagId, 'void_receipt');

    expectStatus(await call(base, 'POST', '/v1/audit-heads', { token: north1.token, json: { seq: 7, hash: 'aa'.repeat(32) } }), 200);
    server.clock.advance(1_000);
    expectStatus(await call(base, 'POST', '/v1/audit-heads', { token: north1.token, json: { seq: 9, hash: 'bb'.repeat(32) } }), 200);
    expectStatus(await call(base, 'POST', `/v1/admin/devices/${north3.deviceId}/revoke`, { token: ADMIN_TOKEN }), 200);
  });
  afterAll(async () => {
    await server?.close();
    await server?.db.close();
  });

  it("gives the caller's centre only: totals, flags by kind, latest decisions, every desk", async () => {
    const before = Date.now();
    const r = await summary(north2.token);
    expect(r.status).toBe(200);
    const body = centreSummaryResponse.parse(r.body);
    expect(Date.parse(body.asOf)).toBeGreaterThanOrEqual(before - 1);
    expect(body).toMatchObject({ centreId: 'north', centreName: 'Centre north', electionNumber: ELECTION });
    // 4 + 3 + 1 stored at north (the rejected read is not a receipt); south's 3 are not here
    expect([body.received, body.accepted, body.flagged]).toEqual([8, 5, 3]);
    expect(body.flaggedByKind).toEqual({
      unknown_ballot: 1, duplicate_scan: 1, superseded_ballot: 0, member_already_returned: 0, online_vote_cast: 1, late_return: 0,
    });
    // escalate → set_aside, set_aside → void_receipt, and the online vote never decided
    expect(body.decisionsByKind).toEqual({ set_aside: 1, count: 0, void_receipt: 1, escalate: 0, open: 1 });

    const { rows } = await server.db.query<{ witnessed_at: Date }>(`select witnessed_at from audit_heads where device_id = $1 and seq = 9`, [north1.deviceId]);
    const received = async (deviceId: string) =>
      (await server.db.query<{ t: Date }>(`select max(received_at) as t from receipts where device_id = $1`, [deviceId])).rows[0]!.t.toISOString();
    expect(body.workstations).toEqual([
      { deviceId: north1.deviceId, name: 'north desk 1', received: 4, lastReceivedAt: await received(north1.deviceId), lastWitnessedAt: rows[0]!.witnessed_at.toISOString(), revoked: false, clockSkewMs: null },
      { deviceId: north2.deviceId, name: 'north desk 2', received: 3, lastReceivedAt: await received(north2.deviceId), lastWitnessedAt: null, revoked: false, clockSkewMs: null },
      { deviceId: north3.deviceId, name: 'north desk 3', received: 1, lastReceivedAt: await received(north3.deviceId), lastWitnessedAt: null, revoked: true, clockSkewMs: null },
    ]);
    // any desk of the centre sees the same figures
    expect({ ...(await summary(north1.token)).body, asOf: null }).toEqual({ ...body, asOf: null });
  });

  it('gives another centre its own figures, never north’s', async () => {
    const body = centreSummaryResponse.parse((await summary(south.token)).body);
    expect(body).toMatchObject({ centreId: 'south', centreName: 'Centre south', received: 3, accepted: 2, flagged: 1 });
    expect(body.flaggedByKind.duplicate_scan).toBe(1);
    expect(body.decisionsByKind).toEqual({ set_aside: 0, count: 0, void_receipt: 1, escalate: 0, open: 0 });
    expect(body.workstations.map((w) => [w.deviceId, w.received, w.lastWitnessedAt])).toEqual([[south.deviceId, 3, null]]);
  });

  it('refuses a revoked, unknown or missing token with 401, other kinds of token with 403, and unknown query fields with 400', async () => {
    for (const r of [await summary(north3.token), await summary('bid_nonsense'), await summary()]) {
      expect(r.status).toBe(401);
      expect(r.contentType).toContain('application/problem+json');
      expect(r.body.error).toBe('unauthorized');
    }
    expect((await summary(election.integrationToken)).status).toBe(403);
    expect((await summary(ADMIN_TOKEN)).status).toBe(403);
    // a centre cannot be named: the token says which centre
    const named = await summary(north1.token, '/v1/centre/summary?centreId=south');
    expect(named.status).toBe(400);
  });

  it('reads a centre once per 5 s window: the same asOf within it, the figures read again after it', async () => {
    const parse = async (token: string) => centreSummaryResponse.parse((await summary(token)).body);
    server.clock.advance(60_000); // past any earlier read
    const first = await parse(north1.token);
    expect(Math.abs(Date.parse(first.asOf) - server.clock.now().getTime())).toBeLessThan(1_000);
    // an envelope arrives at north within the window: every desk of north gets the figures as
    // they were read, and asOf says when that was
    await send(north2.token, [receipt(members[30]!.barcode)]);
    server.clock.advance(4_000);
    const within = await parse(north2.token);
    expect(within.asOf).toBe(first.asOf);
    expect(within.received).toBe(first.received);
    // another centre is read for itself, never answered from north's figures
    expect((await parse(south.token)).centreId).toBe('south');

    server.clock.advance(1_500);
    const after = await parse(north1.token);
    expect(Date.parse(after.asOf)).toBeGreaterThanOrEqual(Date.parse(first.asOf) + 5_500);
    expect(after.received).toBe(first.received + 1);
    expect(after.workstations.find((w) => w.deviceId === north2.deviceId)!.received).toBe(4);
    // a revoked desk is still refused at once, whatever is in the window
    expect((await summary(north3.token)).status).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await call(base, 'GET', '/v1/openapi.json');
    const op = doc.body.paths['/v1/centre/summary'].get;
    expect(op.security).toEqual([{ device: [] }]);
    const schema = op.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['asOf', 'flaggedByKind', 'decisionsByKind', 'workstations']));
  });
});
