// Issue 16 item 8: production runs built JavaScript. `npm run server`, `server:admin` and
// `demo` build out/node/*.mjs (scripts/build-server.mjs) and run them with plain node: no
// TypeScript loader in the process. The built server answers, and the built admin CLI drives it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedTestUrl } from './harness';
import { createScratchDatabase, spawnServer } from './processes';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ballot-built-'));
const secretFile = join(dir, 'secret');
writeFileSync(secretFile, 'built-server-test-secret-0123456789abcdef\n');
chmodSync(secretFile, 0o600);
const ADMIN = 'built-server-admin-token-0123456789abc';
let scratch: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-server.mjs')], { stdio: 'inherit' });
  scratch = await createScratchDatabase(embeddedTestUrl(), 'built');
}, 120_000);
afterAll(() => scratch?.drop());

describe('the built server', () => {
  it('runs as plain JavaScript and answers; the built admin command drives it', async () => {
    const server = await spawnServer(['--database-url', scratch.url, '--server-secret-file', secretFile], { BALLOT_SERVER_SECRET: '', BALLOT_ADMIN_TOKEN: ADMIN }, { built: true });
    try {
      const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.some((a) => a.endsWith('out/node/server.mjs'))).toBe(true);
      expect(cmdline.join(' ')).not.toMatch(/tsx/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const admin = spawnSync(process.execPath, [join(root, 'out', 'node', 'server-admin.mjs'), '--server', server.url, 'integration-token'], {
        env: { ...process.env, BALLOT_ADMIN_TOKEN: ADMIN },
        encoding: 'utf8',
      });
      expect(admin.status, admin.stderr).toBe(0);
      expect(JSON.parse(admin.stdout)).toMatchObject({ token: expect.any(String), tokenId: expect.any(String) });
    } finally {
      await server.stop();
    }
  }, 120_000);
});
