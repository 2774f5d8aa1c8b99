// The administrators' record (admin_events) through real HTTP: moving an election's close and
// the other admin actions each leave one event, in the same transaction, naming the admin
// token by its id (never the token); the table refuses to be changed; GET /v1/admin/events
// pages it, is in the OpenAPI document and is driven by the admin CLI's admin-events.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEventsResponse } from '../../server/http/admin-events-api';
import { hashToken } from '../../server/security/tokens';
import {
  ADMIN_TOKEN, call, dropTestSchemas, ELECTION, ENGINES, expectStatus, makeMembers, setUpElection, startServer,
  type Election, type TestServer,
} from './harness';

afterAll(dropTestSchemas);

const run = promisify(execFile);
const HOUR = 3_600_000;
/** the admin token's id as the server records it: a prefix of the hash it keeps */
const ACTOR = hashToken(ADMIN_TOKEN).slice(0, 16);

describe.each(ENGINES)('the administrators\' record on $name', (engine) => {
  let server: TestServer;
  let base: string;
  let election: Election;
  const closesAt = new Date(Date.now() + 7 * 24 * HOUR).toISOString();

  beforeAll(async () => {
    server = await startServer(await engine.open());
    base = server.url;
    election = await setUpElection(base, makeMembers(5), ['north'], closesAt);
  });
  afterAll(async () => {
    await server?.close();
    await server?.db.close();
  });

  const events = async (query = '') => {
    const r = await call(base, 'GET', `/v1/admin/events${query}`, { token: ADMIN_TOKEN });
    expectStatus(r, 200);
    return adminEventsResponse.parse(r.body);
  };
  const all = async () => (await events('?limit=1000')).events;

  it('records the setting up of an election: election, centre, enrolment code, integration token', async () => {
    const list = await all();
    expect(list.map((e) => e.action)).toEqual(['election.created', 'centre.created', 'enrolment_code.created', 'integration_token.created']);
    expect(list[0]!.detail).toEqual({ after: { electionNumber: ELECTION, name: 'Leadership election 2026', closesAt } });
    expect(list[1]!.detail).toEqual({ after: { centreId: 'north', name: 'Centre north', electionNumber: ELECTION } });
    expect(list[2]!.detail).toEqual({ centreId: 'north', expiresAt: expect.any(String) });
    expect(list[3]!.detail).toEqual({ tokenId: hashToken(election.integrationToken).slice(0, 16) });
    for (const e of list) expect(e.actor).toBe(ACTOR);
    // never a secret: not the admin token, not the integration token
    const text = JSON.stringify(list);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain(election.integrationToken);
  });

  it('records who moved the close, when, and from what to what, with the change', async () => {
    const start = (await all()).length;
    const moved = new Date(Date.now() - HOUR).toISOString();
    server.clock.advance(60_000);
    const at = server.clock.now().getTime();
    expectStatus(await call(base, 'PATCH', `/v1/admin/elections/${ELECTION}`, { token: ADMIN_TOKEN, json: { closesAt: moved } }), 200);
    const [event, ...more] = (await all()).slice(start);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: 'election.updated',
      actor: ACTOR,
      detail: {
        before: { electionNumber: ELECTION, name: 'Leadership election 2026', closesAt },
        after: { electionNumber: ELECTION, name: 'Leadership election 2026', closesAt: moved },
      },
    });
    // the server's clock, not the database's
    expect(Math.abs(Date.parse(event!.at) - at)).toBeLessThan(5_000);

    // a refused change leaves no event
    expect((await call(base, 'PATCH', '/v1/admin/elections/4444', { token: ADMIN_TOKEN, json: { closesAt: moved } })).status).toBe(404);
    expect((await call(base, 'POST', '/v1/admin/elections', { token: ADMIN_TOKEN, json: { electionNumber: ELECTION, name: 'again', closesAt } })).status).toBe(409);
    expect((await call(base, 'POST', '/v1/admin/centres', { token: ADMIN_TOKEN, json: { centreId: 'north', name: 'again', electionNumber: ELECTION } })).status).toBe(409);
    expect((await all()).length).toBe(start + 1);
  });

  it('records a revocation with the state it replaced', async () => {
    const start = (await all()).length;
    const deviceId = election.centres.north!.deviceId;
    const first = await call(base, 'POST', `/v1/admin/devices/${deviceId}/revoke`, { token: ADMIN_TOKEN });
    expectStatus(first, 200);
    expectStatus(await call(base, 'POST', `/v1/admin/devices/${deviceId}/revoke`, { token: ADMIN_TOKEN }), 200);
    const revoked = (await all()).slice(start);
    expect(revoked.map((e) => [e.action, e.detail])).toEqual([
      ['device.revoked', { deviceId, centreId: 'north', before: { revokedAt: null }, after: { revokedAt: first.body.revokedAt } }],
      ['device.revoked', { deviceId, centreId: 'north', before: { revokedAt: first.body.revokedAt }, after: { revokedAt: first.body.revokedAt } }],
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the table, whoever asks', async () => {
    const before = await all();
    await expect(server.db.query(`update admin_events set actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(server.db.query(`delete from admin_events`)).rejects.toThrow(/append-only/);
    await expect(server.db.query(`truncate admin_events`)).rejects.toThrow(/append-only/);
    expect(await all()).toEqual(before);
  });

  it('pages by cursor; admin only; unknown query fields refused', async () => {
    const list = await all();
    const page1 = await events('?limit=2');
    expect(page1.events).toEqual(list.slice(0, 2));
    const page2 = await events(`?after=${page1.next}&limit=2`);
    expect(page2.events).toEqual(list.slice(2, 4));
    const end = await events(`?after=${list[list.length - 1]!.eventId}`);
    expect(end).toEqual({ events: [], next: list[list.length - 1]!.eventId });

    expect((await call(base, 'GET', '/v1/admin/events')).status).toBe(401);
    expect((await call(base, 'GET', '/v1/admin/events', { token: election.integrationToken })).status).toBe(403);
    expect((await call(base, 'GET', '/v1/admin/events?colour=red', { token: ADMIN_TOKEN })).status).toBe(400);
    expect((await call(base, 'GET', '/v1/admin/events?limit=100000', { token: ADMIN_TOKEN })).status).toBe(400);
  });

  it('is in the OpenAPI document and driven by the admin CLI: admin-events [--after] [--limit]', async () => {
    const doc = (await call(base, 'GET', '/v1/openapi.json')).body;
    const op = doc.paths['/v1/admin/events'].get;
    expect(op.security).toEqual([{ admin: [] }]);
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['after', 'limit']);

    const out = await run(process.execPath, ['--import', 'tsx', 'server/admin/cli.ts', '--server', base, 'admin-events', '--limit', '1'], {
      env: { ...process.env, BALLOT_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    const page = adminEventsResponse.parse(JSON.parse(out.stdout));
    expect(page.events.map((e) => e.action)).toEqual(['election.created']);
  });
});
