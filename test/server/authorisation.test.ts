// Who may call what (contracts.md §3; issue 15 items 10 and 13), for EVERY route: the routes the
// server registered are the routes the OpenAPI document lists (generated from the routes
// themselves, issue 16 item 3), and the document validates; a route that declares no audience is
// refused at registration; each authenticated route refuses a missing token (401) and every
// token of another kind (403) before it reads a body; a centre sees nothing of another centre's
// business; a revoked integration token stops at once.
import { randomUUID } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentralServer } from '../../server/app';
import { requireAudience } from '../../server/http/auth';
import { documentedOperations, type DocumentedOperation } from './openapi-operations';
import { ADMIN_TOKEN, SECRET, call, dropTestSchemas, ENGINES, makeMembers, receipt, setUpElection, startServer, type Election, type TestServer } from './harness';

afterAll(dropTestSchemas);

describe.each(ENGINES)('authorisation of every route on $name', (engine) => {
  let server: TestServer;
  let base: string;
  let election: Election;
  let document: any;
  let OPERATIONS: DocumentedOperation[];
  const members = makeMembers(10);

  beforeAll(async () => {
    server = await startServer(await engine.open());
    base = server.url;
    election = await setUpElection(base, members);
    document = await (await fetch(`${base}/v1/openapi.json`)).json();
    OPERATIONS = documentedOperations(document);
  });
  afterAll(async () => {
    await server?.close();
    await server?.db.close();
  });

  const concrete = (path: string): string =>
    path
      .replace('{flagId}', randomUUID())
      .replace('{electionNumber}', '1022')
      .replace('{centreId}', 'north')
      .replace('{deviceId}', election.centres.north!.deviceId)
      .replace('{tokenId}', '0123456789abcdef');
  const request = (method: string, path: string, token?: string) =>
    fetch(base + path, {
      method: method.toUpperCase(),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      ...(method === 'get' ? {} : { body: '{"not": "read"' }), // a broken body: must not matter
    });

  it('registers exactly the routes the OpenAPI document lists, each with the audience the hook enforces', () => {
    const documented = OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`).sort();
    const registered = server.routes.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(documented);
    expect(registered.length).toBeGreaterThanOrEqual(24);
    for (const o of OPERATIONS) {
      const route = server.routes.find((r) => r.method === o.method.toUpperCase() && r.url === o.path.replace(/\{(\w+)\}/g, ':$1'))!;
      expect(route.audience, `${o.method} ${o.path}`).toBe(o.auth);
    }
  });

  it('serves a document that validates as OpenAPI 3 (every $ref resolves, every schema is well formed)', async () => {
    expect(document.openapi).toMatch(/^3\.0\./);
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
  });

  it('refuses, at registration, a route that does not say who may call it', async () => {
    expect(() => requireAudience({ method: 'GET', url: '/v1/open-by-omission', config: {} })).toThrow(/declares no audience/);
    // and in the server itself (app.ts's onRoute hook): registering it throws
    const { app } = await createCentralServer({ db: server.db, secret: SECRET });
    expect(() => app.get('/v1/open-by-omission', async () => 'hello')).toThrow(/GET \/v1\/open-by-omission declares no audience/);
    await app.close();
  });

  it('refuses every authenticated route without a token (401) and with a token of another kind (403)', async () => {
    const tokens = { device: election.centres.north!.token, integration: election.integrationToken, admin: ADMIN_TOKEN };
    const checked: string[] = [];
    for (const o of OPERATIONS) {
      if (o.auth === 'none') continue;
      const path = concrete(o.path);
      const missing = await request(o.method, path);
      expect(missing.status, `${o.method} ${o.path} without a token`).toBe(401);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect((await request(o.method, path, 'bid_' + 'x'.repeat(43))).status, `${o.method} ${o.path} with an unknown token`).toBe(401);
      for (const [kind, token] of Object.entries(tokens)) {
        if (kind === o.auth) continue;
        expect((await request(o.method, path, token)).status, `${o.method} ${o.path} with a ${kind} token`).toBe(403);
      }
      checked.push(`${o.method} ${o.path}`);
    }
    expect(checked.length).toBeGreaterThanOrEqual(20);
  });

  it('shows a centre nothing of another centre: flags, decisions, feeds, audit heads', async () => {
    const north = election.centres.north!.token;
    const south = election.centres.south!.token;
    const m = members[0]!;
    await call(base, 'POST', '/v1/receipts', { token: north, json: { receipts: [receipt(m.barcode)] } });
    const dup = await call(base, 'POST', '/v1/receipts', { token: north, json: { receipts: [receipt(m.barcode)] } });
    const flagId = dup.body.results[0].flag.flagId as string;
    // another centre's flag does not exist for south
    const foreign = await call(base, 'POST', `/v1/flags/${flagId}/resolution`, {
      token: south,
      json: { resolutionId: randomUUID(), decision: 'set_aside', note: 'n', supervisorId: 's', decidedAt: new Date().toISOString() },
    });
    expect(foreign.status).toBe(404);
    // south's feed carries no north flag, receipt or decision
    const feed = await call(base, 'GET', '/v1/changes?after=0&limit=10000', { token: south });
    expect(JSON.stringify(feed.body.events)).not.toContain(flagId);
    expect(feed.body.events.filter((e: { type: string }) => e.type !== 'register')).toEqual([]);
    // audit heads are per device
    await call(base, 'POST', '/v1/audit-heads', { token: north, json: { seq: 3, hash: 'a'.repeat(64) } });
    expect((await call(base, 'GET', '/v1/audit-heads/latest', { token: south })).status).toBe(404);
    // the centre summary is the caller's centre only
    const summary = await call(base, 'GET', '/v1/centre/summary', { token: south });
    expect(summary.body.workstations.map((w: { deviceId: string }) => w.deviceId)).toEqual([election.centres.south!.deviceId]);
  });

  it('revokes an integration token at once', async () => {
    const made = await call(base, 'POST', '/v1/admin/integration-tokens', { token: ADMIN_TOKEN });
    expect(made.status).toBe(201);
    expect(made.body.tokenId).toMatch(/^[0-9a-f]{16}$/);
    const redeem = () => call(base, 'POST', '/v1/online-codes/redeem', { token: made.body.token, json: { code: 'NOSUCHCODE99' } });
    expect((await redeem()).status).toBe(404);
    const revoked = await call(base, 'POST', `/v1/admin/integration-tokens/${made.body.tokenId}/revoke`, { token: ADMIN_TOKEN });
    expect(revoked.status).toBe(200);
    expect((await redeem()).status).toBe(401);
    expect((await call(base, 'POST', `/v1/admin/integration-tokens/ffffffffffffffff/revoke`, { token: ADMIN_TOKEN })).status).toBe(404);
    const events = await call(base, 'GET', '/v1/admin/events?after=0&limit=100', { token: ADMIN_TOKEN });
    expect(events.body.events.map((e: { action: string }) => e.action)).toContain('integration_token.revoked');
  });
});
