// Load generation for the server benchmarks (test/bench/server_*.bench.ts): server processes
// on their own embedded PostgreSQL (--data-dir, as people run it) or on a scratch database of
// DATABASE_URL's PostgreSQL, an election with many members, and clients sending receipt batches
// and redemptions over HTTP with keep-alive connections.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { ADMIN_TOKEN, ELECTION, SECRET } from './harness';
import { createScratchDatabase, spawnServer, type ServerProcess } from './processes';

export type LoadEngine = 'embedded' | 'postgres';

export interface LoadCluster {
  engine: LoadEngine;
  servers: ServerProcess[];
  databaseUrl?: string;
  /** the embedded server's data directory */
  dataDir?: string;
  /** the processes whose memory is the server's: each server process and, embedded, its PostgreSQL's */
  processes(): number[];
  close(): Promise<void>;
}

export async function startLoadCluster(engine: LoadEngine, processes = 1): Promise<LoadCluster> {
  const env = { BALLOT_ADMIN_TOKEN: ADMIN_TOKEN, BALLOT_SERVER_SECRET: SECRET.toString('utf8') };
  if (engine === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'ballot-bench-'));
    const s = await spawnServer(['--data-dir', dir], env);
    return {
      engine,
      servers: [s],
      dataDir: dir,
      processes: () => [s.pid, ...postgresProcesses(dir)],
      close: async () => {
        await s.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'bench');
  const servers: ServerProcess[] = [];
  for (let i = 0; i < processes; i++) servers.push(await spawnServer(['--database-url', scratch.url], env));
  return {
    engine,
    servers,
    databaseUrl: scratch.url,
    processes: () => servers.map((s) => s.pid),
    close: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await scratch.drop();
    },
  };
}

/** The embedded PostgreSQL of a data directory (Linux): its postmaster and the postmaster's children. */
export function postgresProcesses(dataDir: string): number[] {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const pids = [postmaster];
  for (const [pid, ppid] of processParents()) if (ppid === postmaster) pids.push(pid);
  return pids;
}

function processParents(): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push([Number(e), ppid]);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A minimal HTTP client (keep-alive, no fetch overhead) returning status and parsed JSON. */
export function post(url: string, path: string, token: string, body: string, contentType = 'application/json'): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoadElection {
  deviceTokens: string[];
  integrationToken: string;
  codeOf(ballotNumber: number): string;
}

export const codeOf = (ballotNumber: number): string => `LOAD${String(ballotNumber).padStart(10, '0')}`;

/** Election 1022, one centre, `devices` enrolled workstations, `members` members (ballots 1..members). */
export async function setUpLoadElection(url: string, members: number, devices: number): Promise<LoadElection> {
  const admin = (path: string, body?: unknown) => post(url, path, ADMIN_TOKEN, body === undefined ? '' : JSON.stringify(body));
  const must = (r: { status: number; body: any }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  must(await admin('/v1/admin/elections', { electionNumber: ELECTION, name: 'Benchmark election', closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }), 'election');
  must(await admin('/v1/admin/centres', { centreId: 'bench', name: 'Benchmark centre', electionNumber: ELECTION }), 'centre');
  // the register in pieces of 100,000 rows (each import adds members)
  for (let start = 1; start <= members; start += 100_000) {
    let csv = 'ballot_number,issue,status,member_ref,online_code\n';
    for (let b = start; b < Math.min(start + 100_000, members + 1); b++) csv += `${b},1,issued,M-${b},${codeOf(b)}\n`;
    must(await post(url, `/v1/admin/elections/${ELECTION}/register`, ADMIN_TOKEN, csv, 'text/csv'), 'register');
  }
  const deviceTokens: string[] = [];
  for (let i = 0; i < devices; i++) {
    const code = must(await admin('/v1/admin/centres/bench/enrolment-codes'), 'enrolment code');
    const enrol = must(await post(url, '/v1/enrol', '', JSON.stringify({ enrolmentCode: code.enrolmentCode, workstationName: `bench ${i}` })), 'enrol');
    deviceTokens.push(enrol.token);
  }
  const it = must(await admin('/v1/admin/integration-tokens'), 'integration token');
  return { deviceTokens, integrationToken: it.token, codeOf };
}

/** Request bodies of `batchSize` receipts for the given ballot numbers (made before timing starts). */
export function receiptBodies(ballots: number[], batchSize: number): string[] {
  const bodies: string[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < ballots.length; i += batchSize) {
    const receipts = ballots.slice(i, i + batchSize).map((b, k) => ({
      receiptId: randomUUID(),
      barcode: encodeBarcode(ELECTION, b, 1),
      scannedAt: now,
      workstationSeq: i + k + 1,
      operatorId: 'bench-op',
      batchId: 'bench',
      source: 'scanner',
    }));
    bodies.push(JSON.stringify({ receipts }));
  }
  return bodies;
}

/** `clients` concurrent senders working through `bodies`; returns seconds taken. */
export async function sendReceipts(urls: string[], tokens: string[], bodies: string[], clients: number, stop: () => boolean = () => false): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = next++; i < bodies.length && !stop(); i = next++) {
        const r = await post(urls[c % urls.length]!, '/v1/receipts', tokens[c % tokens.length]!, bodies[i]!);
        if (r.status !== 200) throw new Error(`receipts: ${r.status} ${JSON.stringify(r.body)}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}
