// What the server reads before it knows who is calling, and how long it waits (contracts.md §3;
// issue 15 item 4): the token is checked before the body is read, bodies over 1 MB get 413, a
// request whose headers do not arrive in time is closed.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentralServer, type CentralServer } from '../../server/app';
import type { Db } from '../../server/db/db';
import { setUpAdminToken } from '../../server/security/admin-token';
import { ADMIN_TOKEN, call, dropTestSchemas, ENGINES, makeMembers, receipt, SECRET, setUpElection } from './harness';

afterAll(dropTestSchemas);

/** Sends `head` (and nothing more) on a raw socket; resolves with what came back and when the socket closed. */
function raw(port: number, head: string, waitMs: number, untilAnswer = false): Promise<{ text: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closedAfterMs: number | null = null;
    socket.on('data', (d) => {
      text += String(d);
      if (untilAnswer && text.includes('\r\n\r\n')) {
        socket.destroy();
        resolve({ text, closedAfterMs });
      }
    });
    socket.on('close', () => {
      closedAfterMs = Date.now() - started;
      resolve({ text, closedAfterMs });
    });
    socket.on('error', () => undefined);
    socket.write(head);
    setTimeout(() => {
      socket.destroy();
      resolve({ text, closedAfterMs });
    }, waitMs);
  });
}

describe.each(ENGINES)('transport limits on $name', (engine) => {
  let db: Db;
  let server: CentralServer;
  let base: string;
  let port: number;
  let token: string;

  beforeAll(async () => {
    db = await engine.open();
    server = await createCentralServer({ db, secret: SECRET, headersTimeoutMs: 1_500 });
    await setUpAdminToken(db, { env: ADMIN_TOKEN }, new Date());
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(base).port);
    const election = await setUpElection(base, makeMembers(5));
    token = election.centres.north!.token;
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
  });

  it('checks the token before reading the body: a broken body without a token is 401, not 400', async () => {
    // Before: 400 (the body was parsed first).
    const r = await call(base, 'POST', '/v1/receipts', { headers: { 'content-type': 'application/json' } as Record<string, string>, json: undefined });
    expect(r.status).toBe(401);
    const broken = await fetch(`${base}/v1/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"receipts": [' });
    expect(broken.status).toBe(401);
    expect(broken.headers.get('content-type')).toContain('application/problem+json');
    // and with a valid token the same body is a 400 in words
    const withToken = await fetch(`${base}/v1/receipts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"receipts": [' });
    expect(withToken.status).toBe(400);
  });

  it('answers 401 at once to a request that announces a huge body and sends none', async () => {
    const { text } = await raw(port, `POST /v1/receipts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n`, 3_000, true);
    expect(text).toMatch(/^HTTP\/1\.1 401/);
  });

  it('refuses a workstation body over 1 MB with 413, and nothing is recorded', async () => {
    const big = { receipts: [receipt(makeMembers(1)[0]!.barcode, { batchId: 'x'.repeat(60) })], padding: 'x'.repeat(1_100_000) };
    const r = await call(base, 'POST', '/v1/receipts', { token, json: big });
    expect(r.status).toBe(413);
    expect(r.contentType).toContain('application/problem+json');
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from receipts');
    expect(rows[0]!.n).toBe(0);
  });

  it('closes a connection whose headers do not arrive in time (30 s in production)', async () => {
    expect(server.app.server.headersTimeout).toBe(1_500);
    const prod = await createCentralServer({ db, secret: SECRET });
    expect(prod.app.server.headersTimeout).toBe(30_000);
    await prod.app.close();
    // Before: headers could trickle in for ever (requestTimeout and connectionTimeout were 0).
    const { closedAfterMs } = await raw(port, `GET /v1/election HTTP/1.1\r\nHost: x\r\nX-Slow: `, 10_000);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(6_000);
  });

  it('lets the register import take its time and streams it without the 1 MB limit', async () => {
    // a 1.5 MB register: over the JSON limit, still imported
    const many = makeMembers(30_000, 100_000);
    let csv = 'ballot_number,issue,status,member_ref,online_code\n';
    for (const m of many) csv += `${m.ballotNumber},1,issued,${m.ref},${m.code}\n`;
    expect(csv.length).toBeGreaterThan(1_048_576);
    const r = await call(base, 'POST', '/v1/admin/elections/1022/register', { token: ADMIN_TOKEN, csv });
    expect(r.status).toBe(200);
  });
});
