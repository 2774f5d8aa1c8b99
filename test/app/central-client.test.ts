// Only the central server's own word is final (issue 13). The client is asked for real over HTTP
// by a stand-in that answers as a proxy, a captive portal or the server would; each answer is
// classified as the server's final word, its 401, or a transport failure in words. The list of
// final words per request is the one in server-words.ts. Also: the desk's clock goes out with
// every request, and the server's Date header comes back as a clock reading.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CentralClient, classifyFailure, type ClockSample } from '../../electron/main/app/sync/central-client';
import { clockCheckOf, durationWords, readingOf } from '../../electron/main/app/sync/clock';
import { FINAL_WORDS, isFinalWord } from '../../shared/protocol/final-words';
import { statusText } from '../../electron/main/app/sync/status';

type Answer = { status: number; type?: string; body: string; cut?: boolean };
let answer: Answer = { status: 200, type: 'application/json', body: '{}' };
const seen: http.IncomingHttpHeaders[] = [];
let base = '';
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(answer.body)) };
      if (answer.type) headers['content-type'] = answer.type;
      res.writeHead(answer.status, headers);
      if (answer.cut) {
        res.write(answer.body.slice(0, 5));
        setTimeout(() => req.socket.destroy(), 5);
      } else res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const problem = (status: number, error?: string, detail = 'the detail') => JSON.stringify({ type: 'about:blank', title: 'T', status, detail, ...(error ? { error } : {}) });
const PROBLEM = 'application/problem+json';
const HTML = 'text/html; charset=utf-8';

async function ask(a: Answer, request: Parameters<CentralClient['request']>[0] = 'resolution') {
  answer = a;
  const client = new CentralClient({ baseUrl: base, token: 't', timeoutMs: 5_000 });
  return client.request(request, 'POST', '/v1/flags/x/resolution', z.object({ ok: z.boolean() }), { a: 1 });
}

describe('what is final', () => {
  it("a proxy's HTML 403 or 404 on a decision is a transport failure, in words", async () => {
    for (const status of [403, 404]) {
      const r = await ask({ status, type: HTML, body: '<html><body>Blocked</body></html>' });
      expect(r).toEqual({
        ok: false,
        error: { kind: 'transport', cause: 'foreign_answer', status, message: `the central server could not be reached: a proxy answered ${status} with a web page` },
      });
    }
  });

  it("the server's own words for the request are final; the same words on another request, or without problem+json, are not", async () => {
    expect(await ask({ status: 409, type: PROBLEM, body: problem(409, 'member_vote_counted', 'another envelope of this member is already counted') })).toEqual({
      ok: false,
      error: { kind: 'final', status: 409, error: 'member_vote_counted', message: 'another envelope of this member is already counted' },
    });
    expect((await ask({ status: 403, type: PROBLEM, body: problem(403, 'own_scan') })).ok).toBe(false);
    expect(((await ask({ status: 403, type: PROBLEM, body: problem(403, 'own_scan') })) as { error: { kind: string } }).error.kind).toBe('final');
    // a word the contract names for decisions is not final for receipts
    expect(((await ask({ status: 409, type: PROBLEM, body: problem(409, 'member_vote_counted') }, 'receipts')) as { error: { kind: string } }).error.kind).toBe('transport');
    // the right word with the wrong status, or a JSON body without the problem+json type: not the server's word
    expect(((await ask({ status: 404, type: PROBLEM, body: problem(404, 'own_scan') })) as { error: { kind: string } }).error.kind).toBe('transport');
    expect(((await ask({ status: 409, type: 'application/json', body: problem(409, 'member_vote_counted') })) as { error: { kind: string } }).error.kind).toBe('transport');
    // a problem without an `error`
    expect((await ask({ status: 404, type: PROBLEM, body: problem(404) })) as unknown).toMatchObject({ error: { kind: 'transport', cause: 'server_trouble', status: 404 } });
  });

  it("5xx and 429 are the server in trouble; 413 is never final; the server's 401 is enrol again, a proxy's is not", async () => {
    expect(await ask({ status: 503, type: PROBLEM, body: problem(503, 'unavailable', 'busy') })).toMatchObject({
      error: { kind: 'transport', cause: 'server_trouble', message: 'the central server is having trouble (HTTP 503: busy)' },
    });
    expect(await ask({ status: 502, type: HTML, body: '<h1>Bad gateway</h1>' })).toMatchObject({ error: { kind: 'transport', message: 'the central server could not be reached: a proxy answered 502 with a web page' } });
    expect(await ask({ status: 413, type: PROBLEM, body: problem(413, 'payload_too_large') }, 'receipts')).toMatchObject({ error: { kind: 'transport', cause: 'too_large' } });
    expect(await ask({ status: 413, type: HTML, body: '<h1>too large</h1>' }, 'receipts')).toMatchObject({
      error: { kind: 'transport', cause: 'too_large', message: 'the request was too large for something on the way (HTTP 413)' },
    });
    expect(await ask({ status: 401, type: PROBLEM, body: problem(401, 'unauthorized', 'the token is unknown or has been revoked') })).toEqual({
      ok: false,
      error: { kind: 'unauthorized', message: 'the token is unknown or has been revoked' },
    });
    expect(await ask({ status: 401, type: HTML, body: '<h1>Sign in to the proxy</h1>' })).toMatchObject({ error: { kind: 'transport', cause: 'foreign_answer' } });
  });

  it("a captive portal's 200 page, a body cut mid-way, a refused connection: no answer from the server", async () => {
    expect(await ask({ status: 200, type: HTML, body: '<h1>Welcome to the venue Wi-Fi</h1>' })).toMatchObject({
      error: { kind: 'transport', cause: 'foreign_answer', message: expect.stringMatching(/a web page came back instead of the server's answer/) },
    });
    expect(await ask({ status: 200, type: 'application/json', body: '{"ok": true, "padding": "xxxxxxxxxxxx"}', cut: true })).toMatchObject({
      error: { kind: 'transport', cause: 'no_answer', message: 'the central server could not be reached: the connection was cut' },
    });
    const spare = http.createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((r) => spare.close(() => r()));
    const closed = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 });
    expect(await closed.request('election', 'GET', '/v1/election', z.object({}))).toMatchObject({
      error: { kind: 'transport', cause: 'no_answer', message: 'the central server could not be reached: the server refused the connection (is it running?)' },
    });
    expect(await ask({ status: 200, type: 'application/json', body: '{"ok": true}' })).toEqual({ ok: true, value: { ok: true } });
  });

  it('the list: every final word names a status and an error, and reads have none', () => {
    expect(FINAL_WORDS.election).toEqual([]);
    expect(FINAL_WORDS.changes).toEqual([]);
    expect(isFinalWord('auditHead', 409, 'audit_history_rewritten')).toBe(true);
    expect(isFinalWord('latestAuditHead', 404, 'not_found')).toBe(true);
    expect(isFinalWord('resolution', 404, undefined)).toBe(false);
    expect(classifyFailure('receipts', 400, PROBLEM, problem(400, 'invalid_request'))).toMatchObject({ kind: 'final' });
  });
});

describe('clocks', () => {
  it("sends the desk's clock and reads the server's Date header", async () => {
    answer = { status: 200, type: 'application/json', body: '{"ok": true}' };
    const samples: ClockSample[] = [];
    const deskClock = new Date(Date.now() - 7 * 60_000);
    const client = new CentralClient({ baseUrl: base, timeoutMs: 5_000, clock: () => deskClock, onClockSample: (s) => samples.push(s) });
    await client.request('election', 'GET', '/v1/election', z.object({ ok: z.boolean() }));
    expect(seen.at(-1)!['x-desk-clock']).toBe(deskClock.toISOString());
    expect(samples).toHaveLength(1);
    const reading = readingOf(samples[0]!);
    expect(Math.abs(reading.skewMs + 7 * 60_000)).toBeLessThanOrEqual(reading.uncertaintyMs);
    expect(clockCheckOf(reading)).toMatchObject({ warning: "this computer's clock is 7 minutes behind the central server", confirmTrays: false });
  });

  it('words: over 2 minutes warns, over 10 asks for a supervisor', () => {
    const at = (skewMs: number) => clockCheckOf({ skewMs, uncertaintyMs: 1_500, measuredAt: '2026-12-07T10:00:00.000Z' })!;
    expect(at(-90_000)).toMatchObject({ warning: null, confirmTrays: false });
    expect(at(3 * 60_000).warning).toBe("this computer's clock is 3 minutes ahead of the central server");
    expect(at(-11 * 60_000)).toMatchObject({ confirmTrays: true });
    expect(durationWords(125 * 60_000)).toBe('2 hours 5 minutes');
    expect(durationWords(3 * 86_400_000)).toBe('3 days');
  });
});

describe('Sync status words', () => {
  it('never Up to date while anything waits or is refused', () => {
    expect(statusText({ state: 'up_to_date', waiting: 0, refused: 0 })).toBe('Up to date');
    expect(statusText({ state: 'up_to_date', waiting: 2, refused: 0 })).toBe('2 waiting');
    expect(statusText({ state: 'up_to_date', waiting: 0, refused: 3 })).toBe('3 refused');
    expect(statusText({ state: 'waiting', waiting: 4, refused: 1 })).toBe('4 waiting · 1 refused');
    expect(statusText({ state: 'offline', waiting: 4, refused: 1 })).toBe('Offline · 1 refused');
    expect(statusText({ state: 'syncing', waiting: 4, refused: 0 })).toBe('Syncing');
  });
});
