// PATCH /v1/admin/elections/{electionNumber} through real HTTP: the returning officer moves the
// close or renames, workstations read it back, the server judges later receipts by the new
// close, every refusal, the OpenAPI document, and the admin CLI's update-election.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN, call, dropTestSchemas, ELECTION, ENGINES, expectStatus, holdable, makeMembers, receipt, setUpElection, startServer,
  type Election, type HoldableDb, type TestServer,
} from './harness';

afterAll(dropTestSchemas);

const run = promisify(execFile);
const HOUR = 3_600_000;

describe.each(ENGINES)('moving an election\'s close on $name', (engine) => {
  let server: TestServer;
  let held: HoldableDb;
  let base: string;
  let election: Election;
  let north: string;
  const members = makeMembers(20);
  let nextMember = 0;
  const take = () => members[nextMember++]!;

  beforeAll(async () => {
    held = holdable(await engine.open());
    server = await startServer(held.db);
    base = server.url;
    election = await setUpElection(base, members, ['north'], new Date(Date.now() + 7 * 24 * HOUR).toISOString());
    north = election.centres.north!.token;
  });
  afterAll(async () => {
    await server?.close();
    await server?.db.close();
  });

  /** `token: null` sends no Authorization header */
  const patch = (electionNumber: number | string, json: unknown, token: string | null = ADMIN_TOKEN) =>
    call(base, 'PATCH', `/v1/admin/elections/${electionNumber}`, { ...(token ? { token } : {}), json });
  const workstationView = async () => (await call(base, 'GET', '/v1/election', { token: north })).body;

  it('moves the close and renames, each alone; GET /v1/election shows the new values', async () => {
    const before = await workstationView();
    const closesAt = new Date(Date.now() + 2 * HOUR);
    // an offset is accepted and answered in UTC, as on creation
    const moved = await patch(ELECTION, { closesAt: closesAt.toISOString().replace('Z', '+00:00') });
    expectStatus(moved, 200);
    expect(moved.body).toEqual({ electionNumber: ELECTION, name: before.name, closesAt: closesAt.toISOString() });
    expect(await workstationView()).toMatchObject({ electionNumber: ELECTION, name: before.name, closesAt: closesAt.toISOString() });

    const renamed = await patch(ELECTION, { name: '  Leadership election 2026 (extended)  ' });
    expectStatus(renamed, 200);
    expect(renamed.body).toEqual({ electionNumber: ELECTION, name: 'Leadership election 2026 (extended)', closesAt: closesAt.toISOString() });
    expect(await workstationView()).toMatchObject({ name: 'Leadership election 2026 (extended)', closesAt: closesAt.toISOString(), centreId: 'north' });
  });

  it('judges receipts after the move by the new close, in the process that judged before it', async () => {
    await patch(ELECTION, { closesAt: new Date(Date.now() + HOUR).toISOString() });
    const early = receipt(take().barcode);
    const first = await call(base, 'POST', '/v1/receipts', { token: north, json: { receipts: [early] } });
    expect(first.body.results[0]).toMatchObject({ outcome: 'accepted' });

    expectStatus(await patch(ELECTION, { closesAt: new Date(Date.now() - HOUR).toISOString() }), 200);
    const late = await call(base, 'POST', '/v1/receipts', { token: north, json: { receipts: [receipt(take().barcode)] } });
    expect(late.body.results[0]).toMatchObject({ outcome: 'flagged', flag: { kind: 'late_return' } });
    // a receipt judged before the move keeps its verdict when sent again
    const again = await call(base, 'POST', '/v1/receipts', { token: north, json: { receipts: [early] } });
    expect(again.body.results[0]).toEqual(first.body.results[0]);
  });

  it('judges a batch that was already waiting when the close moved by the new close', async () => {
    expectStatus(await patch(ELECTION, { closesAt: new Date(Date.now() + HOUR).toISOString() }), 200);
    // The batch arrives while the close is still an hour away, and waits (as behind other
    // batches at the admission gate) before its transaction begins...
    const hold = held.holdNextTransaction();
    const waiting = call(base, 'POST', '/v1/receipts', { token: north, json: { receipts: [receipt(take().barcode)] } });
    await hold.reached;
    // ...meanwhile the returning officer closes the election an hour ago.
    const moved = patch(ELECTION, { closesAt: new Date(Date.now() - HOUR).toISOString() });
    expectStatus(await moved, 200);
    hold.release();
    const judged = await waiting;
    expectStatus(judged, 200);
    expect(judged.body.results[0]).toMatchObject({ outcome: 'flagged', flag: { kind: 'late_return' } });
  });

  it('refuses callers without the admin token, unknown elections and bad bodies, and changes nothing', async () => {
    const before = await workstationView();
    const later = { closesAt: '2031-01-01T00:00:00Z' };

    const anonymous = await patch(ELECTION, later, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/problem+json');
    expect((await patch(ELECTION, later, 'bia_not-a-token')).status).toBe(401);
    const workstation = await patch(ELECTION, later, north);
    expect(workstation.status).toBe(403);
    expect(workstation.body).toMatchObject({ status: 403, error: 'forbidden' });
    expect((await patch(ELECTION, later, election.integrationToken)).status).toBe(403);

    const unknown = await patch(4444, later);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, error: 'not_found' });
    expect((await patch('not-a-number', later)).status).toBe(404);

    for (const bad of [{}, { closesAt: 'soon' }, { name: '' }, { name: 'x'.repeat(201) }, { ...later, colour: 'red' }, { electionNumber: 7 }, null]) {
      const r = await patch(ELECTION, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.contentType).toContain('application/problem+json');
      expect(r.body).toMatchObject({ title: 'Bad request', status: 400, error: 'invalid_request', detail: expect.stringMatching(/^invalid request body/) });
    }
    expect(await workstationView()).toEqual(before);
  });

  it('lists the route in the OpenAPI document, with its strict body', async () => {
    const doc = (await call(base, 'GET', '/v1/openapi.json')).body;
    const op = doc.paths['/v1/admin/elections/{electionNumber}'].patch;
    expect(op.security).toEqual([{ admin: [] }]);
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'electionNumber', in: 'path' })]);
    const body = op.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties).sort()).toEqual(['closesAt', 'name']);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']));
  });

  it('is driven by the admin CLI: update-election --number N --closes-at ISO', async () => {
    const admin = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'server/admin/cli.ts', '--server', base, ...args], { env: { ...process.env, BALLOT_ADMIN_TOKEN: ADMIN_TOKEN } });
    const out = await admin(['update-election', '--number', String(ELECTION), '--closes-at', '2030-06-01T18:00:00Z']);
    expect(JSON.parse(out.stdout)).toMatchObject({ electionNumber: ELECTION, closesAt: '2030-06-01T18:00:00.000Z' });
    expect((await workstationView()).closesAt).toBe('2030-06-01T18:00:00.000Z');
    // nothing to change is refused before any request; an unknown election by the server
    await expect(admin(['update-election', '--number', String(ELECTION)])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--closes-at, --name or both') });
    await expect(admin(['update-election', '--number', '4444', '--name', 'x'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('404') });
  });
});
