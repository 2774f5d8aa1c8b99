// Issue 2's promise, tested the hard way: a desk process is killed with SIGKILL at a random
// moment, 20 times; after each kill every receipt it had acknowledged is in the database, and
// the audit chain still verifies on the next start.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { tempDir } from './helpers';

const SCRIPT = fileURLToPath(new URL('./fixtures/scan-until-killed.ts', import.meta.url));
const KILLS = 20;

function runAndKill(dir: string, run: number): Promise<{ acked: string[]; auditLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let auditLine = '';
    let buffered = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ack ')) acked.push(line.slice(4));
        else if (line.startsWith('audit ')) auditLine = line;
        else if (line === 'ready' && !killTimer) killTimer = setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 250);
      }
    });
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the desk ended by itself (${code}): ${stderr}`));
      else resolve({ acked, auditLine });
    });
  });
}

describe('durability', () => {
  it(`every acknowledged receipt survives SIGKILL (${KILLS} kills)`, async () => {
    const dir = tempDir();
    let total = 0;
    for (let run = 1; run <= KILLS; run++) {
      const { acked, auditLine } = await runAndKill(dir, run);
      expect(auditLine).toBe('audit ok');
      const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
      const present = new Set((db.prepare('SELECT id FROM receipts').all() as Array<{ id: string }>).map((r) => r.id));
      db.close();
      const lost = acked.filter((id) => !present.has(id));
      expect(lost, `run ${run}: acknowledged but lost`).toEqual([]);
      total += acked.length;
    }
    expect(total).toBeGreaterThan(KILLS); // the kills landed while scans were being recorded
  }, 300_000); // ~25 s on an idle machine; each kill starts a fresh tsx process (minutes when the machine is busy)
});
