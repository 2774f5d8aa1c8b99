// Issue 15 items 9 and 11, as the server is started: `--trust-proxy` gives each client behind
// the named proxy its own enrolment bucket (and nobody else can pick a bucket with a forged
// X-Forwarded-For); `--metrics-port` moves /metrics to a loopback listener of its own.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedTestUrl } from './harness';
import { createScratchDatabase, spawnServer, type ServerProcess } from './processes';

const dir = mkdtempSync(join(tmpdir(), 'ballot-cli-net-'));
const secretFile = join(dir, 'secret');
writeFileSync(secretFile, 'cli-network-test-secret-0123456789abcdef\n');
chmodSync(secretFile, 0o600);
const ENV = { BALLOT_SERVER_SECRET: '', BALLOT_ADMIN_TOKEN: 'cli-network-admin-token-0123456789' };
let scratch: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  scratch = await createScratchDatabase(embeddedTestUrl(), 'clinet');
});
afterAll(async () => {
  await scratch?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function withServer(args: string[], body: (s: ServerProcess) => Promise<void>): Promise<void> {
  const server = await spawnServer(['--database-url', scratch.url, '--server-secret-file', secretFile, ...args], ENV);
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

/** Enrolment attempts with a wrong code, as from `forwardedFor`; returns the statuses. */
async function tries(url: string, count: number, forwardedFor?: string): Promise<Response[]> {
  const answers: Response[] = [];
  for (let i = 0; i < count; i++) {
    answers.push(
      await fetch(`${url}/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
        body: JSON.stringify({ enrolmentCode: `ZZZZ-ZZZZ-ZZ${String(i).padStart(2, '0')}`, workstationName: 'guess' }),
      }),
    );
  }
  return answers;
}

describe('the server behind a reverse proxy', () => {
  it('--trust-proxy: each desk behind the proxy has its own enrolment bucket; 429 says when to try again', async () => {
    await withServer(['--trust-proxy', '127.0.0.1'], async (s) => {
      const a = await tries(s.url, 21, '192.0.2.10');
      expect(a.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(401));
      const limited = a[20]!;
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const problem = (await limited.json()) as { detail: string };
      expect(problem).toMatchObject({ error: 'rate_limited', status: 429 });
      expect(problem.detail).toMatch(/too many enrolment attempts from this address; try again in/);
      // another desk behind the same proxy is not held back by the first one's tries
      expect((await tries(s.url, 1, '192.0.2.11'))[0]!.status).toBe(401);
    });
  }, 120_000);

  it('without --trust-proxy a forged X-Forwarded-For does not buy a fresh bucket', async () => {
    await withServer([], async (s) => {
      const a = await tries(s.url, 21, '192.0.2.20');
      expect(a[20]!.status).toBe(429);
      expect((await tries(s.url, 1, '192.0.2.21'))[0]!.status).toBe(429);
    });
  }, 120_000);

  it('refuses a --trust-proxy entry that is not an address, in words', async () => {
    await expect(spawnServer(['--database-url', scratch.url, '--server-secret-file', secretFile, '--trust-proxy', '10.0.0.1,proxy.example'], ENV)).rejects.toThrow(
      /--trust-proxy: "proxy.example" is not an IP address or a CIDR range/,
    );
  }, 60_000);
});

describe('metrics', () => {
  it('--metrics-port serves /metrics on its own loopback listener and not on the API port', async () => {
    await withServer(['--metrics-port', '0'], async (s) => {
      const m = /Metrics listening on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(s.output());
      expect(m, s.output()).not.toBeNull();
      const metrics = await fetch(m![1]!);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('ballot_receipts_total');
      expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
      expect((await fetch(m![1]!.replace('/metrics', '/v1/election'))).status).toBe(404);
    });
  }, 120_000);

  it('without --metrics-port /metrics stays on the API port, as documented', async () => {
    await withServer([], async (s) => {
      const metrics = await fetch(`${s.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('ballot_receipts_total');
    });
  }, 120_000);
});
