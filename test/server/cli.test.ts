// The commands of contracts.md §5 as a person runs them: `npm run server` (embedded, in a data
// directory) prints its line and its admin token once, shuts down cleanly on SIGTERM and keeps
// its data; `npm run server:admin` drives the admin API and reports bad register rows by line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from './processes';

const dir = mkdtempSync(join(tmpdir(), 'ballot-cli-'));
// Whatever the surrounding environment holds, these runs use files and first-start secrets.
const CLEAN_ENV = { BALLOT_ADMIN_TOKEN: '', BALLOT_SERVER_SECRET: '' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function admin(server: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/admin/cli.ts', '--server', server, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('command line', () => {
  it('runs the embedded server, administers it, and restarts on the same data', async () => {
    const dataDir = join(dir, 'server');
    const first = await spawnServer(['--data-dir', dataDir], CLEAN_ENV);
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
      // a second process on the same data directory is refused, not allowed to corrupt it
      await expect(spawnServer(['--data-dir', dataDir], CLEAN_ENV)).rejects.toThrow(/in use by server process/);
    } finally {
      await first.stop();
    }
    expect(first.child.exitCode).toBe(0);

    // The admin token was printed once at first start; use a file for the admin CLI instead.
    const tokenFile = join(dir, 'admin-token');
    writeFileSync(tokenFile, 'cli-test-admin-token-0123456789\n');
    const second = await spawnServer(['--data-dir', dataDir, '--admin-token-file', tokenFile], CLEAN_ENV);
    try {
      const env = CLEAN_ENV;
      const withFile = (args: string[]) => admin(second.url, ['--admin-token-file', tokenFile, ...args], env);
      const e = withFile(['create-election', '--number', '1022', '--name', 'Leadership election 2026', '--closes-at', '2030-01-01T00:00:00Z']);
      expect(e.status, e.stderr).toBe(0);
      expect(JSON.parse(e.stdout)).toMatchObject({ electionNumber: 1022 });
      expect(withFile(['create-centre', '--id', 'leeds', '--name', 'Leeds', '--election', '1022']).status).toBe(0);
      const good = join(dir, 'good.csv');
      writeFileSync(good, 'ballot_number,issue,status,member_ref,online_code\n1,1,issued,M-1,ABCDEFGH1\n2,1,issued,M-2,ABCDEFGH2\n');
      const imported = withFile(['import-register', '--election', '1022', good]);
      expect(imported.status, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toEqual({ imported: 2, changed: 2 });
      expect(imported.stderr).toContain('uploading register');
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, 'ballot_number,issue,status,member_ref,online_code\n3,1,issued,M-3,\n');
      const refused = withFile(['import-register', '--election', '1022', bad]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('line 2: online_code is required on issued rows');
      const code = withFile(['enrolment-code', '--centre', 'leeds']);
      expect(JSON.parse(code.stdout).enrolmentCode).toMatch(/^\w{4}-\w{4}-\w{4}$/);
      expect(JSON.parse(withFile(['integration-token']).stdout).token).toMatch(/^bii_/);
      const gaps = withFile(['sequence-gaps', 'no-such-device']);
      expect(gaps.status).toBe(1);
      expect(gaps.stderr).toContain('404');
      const revoke = withFile(['revoke-device', 'no-such-device']);
      expect(revoke.status).toBe(1);
      expect(revoke.stderr).toContain('404');
      // the token from the environment works too; a wrong one is refused
      expect(admin(second.url, ['integration-token'], { BALLOT_ADMIN_TOKEN: 'cli-test-admin-token-0123456789' }).status).toBe(0);
      expect(admin(second.url, ['integration-token'], { BALLOT_ADMIN_TOKEN: 'wrong-token-0123456789' }).status).toBe(1);
    } finally {
      await second.stop();
    }
    expect(first.output()).toMatch(/Admin token \(shown only now; keep it safe\): bia_\S{43}/);
    expect(second.output()).not.toContain('Admin token');
    // Three server starts (one with initdb) and a dozen CLI processes: minutes on a busy machine.
  }, 240_000);
});
