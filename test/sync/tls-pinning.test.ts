// Issue 15 item 2: device tokens never travel in clear text. The server speaks HTTPS with
// `--tls-cert/--tls-key`; the desk refuses plain http:// to any other computer, pins the
// server's key at enrolment (the fingerprint `server:admin enrolment-code` prints is the one
// the desk keeps), and when the server later shows another key the desk sends nothing and says
// why in words until it is enrolled again. Real processes, a self-signed certificate, real TLS.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralClient, normaliseServerUrl } from '../../electron/main/app/sync/central-client';
import { electionResponse } from '../../shared/protocol/central-api';
import { certificateKeyFingerprint } from '../../shared/security/key-fingerprint-node';
import { showFingerprint } from '../../shared/security/server-key';
import { embeddedTestUrl } from '../server/harness';
import { createScratchDatabase, spawnServer, type ServerProcess } from '../server/processes';
import { ADMIN_TOKEN, barcodeOf, cleanUp, openWorkstation, registerCsv, tempDir, waitFor, waitUpToDate } from './helpers';

const dir = tempDir('ballot-tls-');
const secretFile = join(dir, 'secret');
writeFileSync(secretFile, 'tls-test-server-secret-0123456789abcdef\n');
chmodSync(secretFile, 0o600);
const ENV = { BALLOT_SERVER_SECRET: '', BALLOT_ADMIN_TOKEN: ADMIN_TOKEN };

/** A self-signed certificate for 127.0.0.1 with a key of its own. */
function certificate(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

let scratch: { url: string; drop(): Promise<void> };
let certA: { cert: string; key: string };
let certB: { cert: string; key: string };
beforeAll(async () => {
  scratch = await createScratchDatabase(embeddedTestUrl(), 'tls');
  certA = certificate('a');
  certB = certificate('b');
});
afterAll(async () => {
  await cleanUp();
  await scratch?.drop();
});

function serve(cert: { cert: string; key: string }, port = 0): Promise<ServerProcess> {
  return spawnServer(['--port', String(port), '--database-url', scratch.url, '--server-secret-file', secretFile, '--tls-cert', cert.cert, '--tls-key', cert.key], ENV);
}

/** The admin's own calls, trusting certificate A as the admin's machine would (NODE_EXTRA_CA_CERTS). */
async function admin(base: string, path: string, body: { json?: unknown; csv?: string }): Promise<void> {
  const dispatcher = new Agent({ connect: { ca: readFileSync(certA.cert) } });
  const res = await undiciFetch(base + path, {
    method: 'POST',
    dispatcher,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': body.csv ? 'text/csv' : 'application/json' },
    body: body.csv ?? JSON.stringify(body.json),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  await dispatcher.close();
}

describe('the desk and the server over TLS', () => {
  it('refuses plain http:// to another computer, in words, before anything is sent', async () => {
    for (const url of ['http://central.invalid:8080', 'http://10.1.2.3', 'http://[2001:db8::1]:8080']) {
      const r = normaliseServerUrl(url);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatch(/must start with https:\/\/.*could be read by anyone on the network/);
    }
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080', 'https://central.example.org']) expect(normaliseServerUrl(url).ok).toBe(true);
    // a desk enrolled before https was required: its client refuses to send the token at all
    const legacy = new CentralClient({ baseUrl: 'http://central.invalid:8080', token: 'device-token' });
    const r = await legacy.request('election', 'GET', '/v1/election', electionResponse);
    expect(!r.ok && r.error.message).toMatch(/Nothing was sent: enrol this desk again with the server's https:\/\/ address/);
  });

  it("pins the server's key at enrolment and refuses another key later, sending nothing", async () => {
    let server = await serve(certA);
    const port = new URL(server.url).port;
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      await admin(server.url, '/v1/admin/elections', { json: { electionNumber: 1022, name: 'TLS election', closesAt: new Date(Date.now() + 86_400_000).toISOString() } });
      await admin(server.url, '/v1/admin/centres', { json: { centreId: 'north', name: 'Centre north', electionNumber: 1022 } });
      await admin(server.url, '/v1/admin/elections/1022/register', { csv: registerCsv(20) });

      // the supervisor's enrolment code, from the admin command line, with the key to compare
      const printed = spawnSync(process.execPath, ['--import', 'tsx', 'server/admin/cli.ts', '--server', server.url, 'enrolment-code', '--centre', 'north'], {
        env: { ...process.env, BALLOT_ADMIN_TOKEN: ADMIN_TOKEN, NODE_EXTRA_CA_CERTS: certA.cert },
        encoding: 'utf8',
      });
      expect(printed.status, printed.stderr).toBe(0);
      const { enrolmentCode, serverKey } = JSON.parse(printed.stdout) as { enrolmentCode: string; serverKey: string };
      expect(serverKey).toBe(showFingerprint(certificateKeyFingerprint(readFileSync(certA.cert))));

      const ws = await openWorkstation();
      await ws.must('enrol', { serverUrl: server.url, enrolmentCode, workstationName: 'Desk TLS' });
      await ws.must('openBatch', { label: 'Tray 1' });
      const pinned = ws.core.workstation.info().serverKey;
      expect(pinned && showFingerprint(pinned)).toBe(serverKey);
      ws.scan(barcodeOf(1));
      await waitUpToDate(ws);

      // the server comes back on the same address with another key (a machine in the middle, or a new certificate)
      await server.stop();
      server = await serve(certB, Number(port));
      ws.scan(barcodeOf(2));
      void ws.engine.syncNow();
      await waitFor('the key refusal', () => /the server's key is not the one this desk was enrolled with/.test(ws.status().lastError ?? ''), 60_000, 100);
      expect(ws.status().text).not.toBe('Up to date');
      expect(ws.status().lastError).toMatch(/Nothing was sent\. A supervisor must check the key printed by server:admin enrolment-code and enrol this desk again/);
      // nothing reached the server: the second envelope is not there
      const db = new (await import('pg')).default.Client({ connectionString: scratch.url });
      await db.connect();
      const { rows } = await db.query<{ n: string }>('select count(*)::text as n from receipts');
      await db.end();
      expect(rows[0]!.n).toBe('1');
    } finally {
      await server.stop();
    }
  }, 240_000);
});
