// Test harness for the central server: a real server (Fastify listening on a random port) on a
// fresh database of each engine — the embedded PostgreSQL always (one cluster for the whole
// vitest run, started by test/embedded-postgres.setup.ts), and the external PostgreSQL too
// when DATABASE_URL is set — each suite in its own new schema so runs never see each other's rows.
import { randomBytes, randomUUID } from 'node:crypto';
import { createCentralServer, type CentralServer } from '../../server/app';
import type { Db, Engine as EngineName } from '../../server/db/db';
import { openPostgres } from '../../server/db/postgres';
import { setUpAdminToken } from '../../server/security/admin-token';
import { encodeBarcode } from '../../shared/barcode/barcode';

export interface Engine {
  name: EngineName;
  open(): Promise<Db>;
}

/** The embedded PostgreSQL of this test run. */
export function embeddedTestUrl(): string {
  const url = process.env.BALLOT_TEST_EMBEDDED_PG_URL;
  if (!url) throw new Error('no embedded PostgreSQL for the tests: run them with vitest (its globalSetup starts one)');
  return url;
}

/** A fresh schema per call; dropped by `dropTestSchemas` (best effort). */
const schemas: Array<{ url: string; schema: string }> = [];
export function postgresEngine(url: string | (() => string), name: EngineName = 'postgres'): Engine {
  return {
    name,
    open: () => {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const at = typeof url === 'string' ? url : url();
      schemas.push({ url: at, schema });
      return openPostgres(at, { schema, maxConnections: 8, engine: name });
    },
  };
}

export const ENGINES: Engine[] = [
  postgresEngine(embeddedTestUrl, 'embedded'),
  ...(process.env.DATABASE_URL ? [postgresEngine(process.env.DATABASE_URL)] : []),
];

export async function dropTestSchemas(): Promise<void> {
  const byUrl = new Map<string, string[]>();
  for (const { url, schema } of schemas.splice(0)) byUrl.set(url, [...(byUrl.get(url) ?? []), schema]);
  for (const [url, list] of byUrl) {
    const db = await openPostgres(url, { maxConnections: 1 });
    for (const s of list) await db.query(`drop schema if exists "${s}" cascade`).catch(() => undefined);
    await db.close();
  }
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const SECRET = Buffer.from('test-server-secret-0123456789abcdef0123456789');

export interface TestClock {
  now(): Date;
  /** shifts the server's clock (enrolment-code expiry) */
  advance(ms: number): void;
}

export interface TestServer extends CentralServer {
  url: string;
  db: Db;
  clock: TestClock;
  close(): Promise<void>;
}

export async function startServer(
  db: Db,
  options: { enrolAttemptsPerMinute?: number; secret?: Buffer } = {},
): Promise<TestServer> {
  let offset = 0;
  const clock: TestClock = { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
  const server = await createCentralServer({
    db,
    secret: options.secret ?? SECRET,
    now: clock.now,
    enrolAttemptsPerMinute: options.enrolAttemptsPerMinute ?? 1000,
  });
  await setUpAdminToken(db, { env: ADMIN_TOKEN }, new Date());
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...server, url: address, db, clock, close: () => server.app.close() };
}

export interface Reply<T = any> {
  status: number;
  contentType: string;
  body: T;
}

export async function call<T = any>(
  base: string,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  options: { token?: string; json?: unknown; csv?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = options.csv;
  }
  const res = await fetch(base + path, { method, headers, body });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return { status: res.status, contentType, body: contentType.includes('json') && text ? JSON.parse(text) : text };
}

// ---- fixtures ---------------------------------------------------------------------------

export const ELECTION = 1022;

export interface Member {
  ref: string;
  ballotNumber: number;
  code: string;
  /** barcode of the valid (issued) pack */
  barcode: string;
}

/** `count` members with one issued pack each, ballot numbers from `firstBallot`. */
export function makeMembers(count: number, firstBallot = 1, prefix = 'M'): Member[] {
  const out: Member[] = [];
  for (let i = 0; i < count; i++) {
    const ballotNumber = firstBallot + i;
    out.push({
      ref: `${prefix}-${ballotNumber}`,
      ballotNumber,
      code: `C${prefix}${String(ballotNumber).padStart(10, '0')}`.toUpperCase().replace(/[^A-Z0-9]/g, 'X'),
      barcode: encodeBarcode(ELECTION, ballotNumber, 1),
    });
  }
  return out;
}

export function registerCsv(members: Member[], extraLines: string[] = []): string {
  return (
    'ballot_number,issue,status,member_ref,online_code\n' +
    members.map((m) => `${m.ballotNumber},1,issued,${m.ref},${m.code}`).join('\n') +
    '\n' +
    extraLines.map((l) => l + '\n').join('')
  );
}

export interface Election {
  centres: Record<string, { token: string; deviceId: string }>;
  integrationToken: string;
}

/** An election with centres (one enrolled workstation each) and a register of `members`. */
export async function setUpElection(
  base: string,
  members: Member[],
  centreIds: string[] = ['north', 'south'],
  closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString(),
): Promise<Election> {
  const t = ADMIN_TOKEN;
  expectStatus(await call(base, 'POST', '/v1/admin/elections', { token: t, json: { electionNumber: ELECTION, name: 'Leadership election 2026', closesAt } }), 201);
  const centres: Election['centres'] = {};
  for (const centreId of centreIds) {
    expectStatus(await call(base, 'POST', '/v1/admin/centres', { token: t, json: { centreId, name: `Centre ${centreId}`, electionNumber: ELECTION } }), 201);
    const code = await call(base, 'POST', `/v1/admin/centres/${centreId}/enrolment-codes`, { token: t });
    expectStatus(code, 201);
    const enrol = await call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: `${centreId} desk 1` } });
    expectStatus(enrol, 201);
    centres[centreId] = { token: enrol.body.token, deviceId: enrol.body.deviceId };
  }
  expectStatus(await call(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: t, csv: registerCsv(members) }), 200);
  const it = await call(base, 'POST', '/v1/admin/integration-tokens', { token: t });
  expectStatus(it, 201);
  return { centres, integrationToken: it.body.token };
}

export function expectStatus(r: Reply, status: number): void {
  if (r.status !== status) throw new Error(`expected HTTP ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
}

let seq = 0;
export function receipt(barcode: string, over: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    receiptId: randomUUID(),
    barcode,
    scannedAt: new Date().toISOString(),
    workstationSeq: ++seq,
    operatorId: 'op-1',
    batchId: 'batch-1',
    source: 'scanner',
    ...over,
  };
}

/** A database whose next transaction can be held at its start, to put a request in a known place. */
export interface HoldableDb {
  db: Db;
  /**
   * Holds the next transaction anyone starts: `reached` resolves when it is waiting, and it
   * begins once `release` is called (as if it had waited that long at the admission gate).
   */
  holdNextTransaction(): { reached: Promise<void>; release: () => void };
}

export function holdable(inner: Db): HoldableDb {
  let armed: { reached: () => void; released: Promise<void> } | null = null;
  const db: Db = {
    engine: inner.engine,
    query: (sql, params) => inner.query(sql, params),
    exec: (sql) => inner.exec(sql),
    close: () => inner.close(),
    async transaction(work) {
      const hold = armed;
      armed = null;
      if (hold) {
        hold.reached();
        await hold.released;
      }
      return inner.transaction(work);
    },
  };
  return {
    db,
    holdNextTransaction() {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      armed = { reached, released: new Promise<void>((r) => (release = r)) };
      return { reached: reachedP, release };
    },
  };
}
