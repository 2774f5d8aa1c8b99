// The one-vote rule under races (issue 4): postal receipts and online-code redemptions of the
// same members, sent at the same time by 8 clients in random order through two server
// processes sharing one database — on the embedded PostgreSQL, and on the external one when
// DATABASE_URL is set — and, for every member, exactly one vote counts and the losers'
// answers say why. Plus: one envelope at two centres at the same moment.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/db';
import { openPostgres } from '../../server/db/postgres';
import {
  ADMIN_TOKEN, call, ELECTION, embeddedTestUrl, expectStatus, makeMembers, receipt, registerCsv, SECRET, setUpElection, type Member,
} from './harness';
import { createScratchDatabase, spawnServer } from './processes';

interface Cluster {
  /** members per round (the figure) */
  membersPerRound: number;
  /** one URL per server process */
  urls: string[];
  db: Db;
  /** how clients reach the servers: real sockets between processes */
  call: typeof call;
  close(): Promise<void>;
}

/** Two server processes on a new database of the PostgreSQL at `adminUrl`. */
function twoProcesses(name: string, adminUrl: () => string): { name: string; start(): Promise<Cluster> } {
  return {
    name,
    async start(): Promise<Cluster> {
      const scratch = await createScratchDatabase(adminUrl(), 'race');
      const env = { BALLOT_ADMIN_TOKEN: ADMIN_TOKEN, BALLOT_SERVER_SECRET: SECRET.toString('utf8') };
      const first = await spawnServer(['--database-url', scratch.url], env); // migrates
      const second = await spawnServer(['--database-url', scratch.url], env);
      const db = await openPostgres(scratch.url, { maxConnections: 2 });
      return {
        membersPerRound: 2000,
        urls: [first.url, second.url],
        db,
        call,
        async close() {
          await db.close();
          await Promise.all([first.stop(), second.stop()]);
          await scratch.drop();
        },
      };
    },
  };
}

const clusters = [
  twoProcesses('embedded (two processes)', embeddedTestUrl),
  ...(process.env.DATABASE_URL ? [twoProcesses('postgres (two processes)', () => process.env.DATABASE_URL!)] : []),
];

/** mulberry32: a small seeded generator, so a failing round can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLIENTS = 8;

type Action = { kind: 'receipt'; member: Member; body: Record<string, unknown> } | { kind: 'redeem'; member: Member };

describe.each(clusters)('one vote per member on $name', (cluster) => {
  let c: Cluster;
  const devices: Array<{ token: string; centreId: string }> = [];
  let integrationToken = '';

  beforeAll(async () => {
    c = await cluster.start();
    const election = await setUpElection(c.urls[0]!, makeMembers(1, 9_000_000, 'SEED'), ['north', 'south']);
    integrationToken = election.integrationToken;
    // 8 workstations, 4 per centre, enrolled through alternating processes
    for (let i = 0; i < CLIENTS; i++) {
      const centreId = i % 2 === 0 ? 'north' : 'south';
      const base = c.urls[i % c.urls.length]!;
      const code = await c.call(base, 'POST', `/v1/admin/centres/${centreId}/enrolment-codes`, { token: ADMIN_TOKEN });
      const enrol = await c.call(base, 'POST', '/v1/enrol', { json: { enrolmentCode: code.body.enrolmentCode, workstationName: `desk ${i}` } });
      expectStatus(enrol, 201);
      devices.push({ token: enrol.body.token, centreId });
    }
  });
  afterAll(async () => c?.close());

  // Three rounds per engine: every engine is real PostgreSQL now (two of them in CI), and the
  // history checker (test/history) races far more kinds of operation than these rounds do.
  it.each([1, 2, 3])('round with seed %i: exactly one vote counts for every member', async (seed) => {
    const random = rng(seed);
    const members = makeMembers(c.membersPerRound, seed * 100_000, `R${seed}`);
    expectStatus(await c.call(c.urls[0]!, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, csv: registerCsv(members) }), 200);

    // Every member: one redemption and one envelope; a quarter also a second read of the
    // envelope (at the other centre or another desk). All shuffled across 8 clients.
    const actions: Action[] = [];
    for (const m of members) {
      actions.push({ kind: 'redeem', member: m });
      actions.push({ kind: 'receipt', member: m, body: receipt(m.barcode, { operatorId: `op-${seed}` }) });
      if (random() < 0.25) actions.push({ kind: 'receipt', member: m, body: receipt(m.barcode, { operatorId: `op-${seed}` }) });
    }
    for (let i = actions.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [actions[i], actions[j]] = [actions[j]!, actions[i]!];
    }
    const queues: Action[][] = Array.from({ length: CLIENTS }, () => []);
    actions.forEach((a, i) => queues[i % CLIENTS]!.push(a));

    const redeemResult = new Map<string, string>(); // member ref → 'redeemed' | error word
    const receiptResults = new Map<string, Array<{ receiptId: string; outcome: string; kind?: string; related?: string[]; onlineCode: string }>>();
    await Promise.all(
      queues.map(async (queue, client) => {
        const base = c.urls[client % c.urls.length]!;
        const device = devices[client]!;
        let i = 0;
        while (i < queue.length) {
          const a = queue[i]!;
          if (a.kind === 'redeem') {
            const r = await c.call(base, 'POST', '/v1/online-codes/redeem', { token: integrationToken, json: { code: a.member.code } });
            redeemResult.set(a.member.ref, r.status === 200 ? 'redeemed' : r.body.error);
            i++;
            continue;
          }
          // consecutive envelopes go together, in batches of up to 20 (a few random sizes)
          const batch: Array<Extract<Action, { kind: 'receipt' }>> = [];
          const size = 1 + Math.floor(random() * 20);
          while (i < queue.length && queue[i]!.kind === 'receipt' && batch.length < size) batch.push(queue[i++] as Extract<Action, { kind: 'receipt' }>);
          const r = await c.call(base, 'POST', '/v1/receipts', { token: device.token, json: { receipts: batch.map((b) => b.body) } });
          expectStatus(r, 200);
          r.body.results.forEach((res: any, k: number) => {
            const ref = batch[k]!.member.ref;
            const list = receiptResults.get(ref) ?? [];
            list.push({ receiptId: res.receiptId, outcome: res.outcome, kind: res.flag?.kind, related: res.flag?.relatedReceiptIds, onlineCode: res.onlineCode });
            receiptResults.set(ref, list);
          });
        }
      }),
    );

    const { rows } = await c.db.query<{ member_ref: string; code_state: string; counted_receipt_id: string | null }>(
      `select member_ref, code_state, counted_receipt_id::text from members where member_ref like $1`,
      [`R${seed}-%`],
    );
    const state = new Map(rows.map((r) => [r.member_ref, r]));
    let online = 0;
    for (const m of members) {
      const redeemed = redeemResult.get(m.ref);
      const receipts = receiptResults.get(m.ref) ?? [];
      const accepted = receipts.filter((r) => r.outcome === 'accepted');
      const votes = (redeemed === 'redeemed' ? 1 : 0) + accepted.length;
      expect(votes, `member ${m.ref}: ${redeemed} / ${JSON.stringify(receipts)}`).toBe(1);
      const s = state.get(m.ref)!;
      if (redeemed === 'redeemed') {
        online++;
        expect(s.code_state).toBe('redeemed');
        expect(s.counted_receipt_id).toBeNull();
        // every envelope lost, and its flag says why: voted online, or a repeat of an envelope that did
        for (const r of receipts) {
          expect(r.outcome).toBe('flagged');
          expect(['online_vote_cast', 'duplicate_scan']).toContain(r.kind);
          if (r.kind === 'online_vote_cast') expect(r.onlineCode).toBe('already_redeemed');
        }
        expect(receipts.some((r) => r.kind === 'online_vote_cast')).toBe(true);
      } else {
        expect(redeemed).toBe('postal_ballot_received');
        expect(s.code_state).toBe('deactivated');
        expect(s.counted_receipt_id).toBe(accepted[0]!.receiptId);
        expect(accepted[0]!.onlineCode).toBe('deactivated');
        for (const r of receipts.filter((x) => x.outcome !== 'accepted')) {
          expect(r.kind).toBe('duplicate_scan');
          expect(r.related).toContain(accepted[0]!.receiptId);
        }
      }
    }
    // with random order both kinds of winner occur
    expect(online).toBeGreaterThan(0);
    expect(online).toBeLessThan(c.membersPerRound);
  }, 180_000);

  it('one envelope at two centres at the same moment: one accepted, one duplicate_scan, both centres told', async () => {
    const members = makeMembers(50, 800_000, 'X');
    expectStatus(await c.call(c.urls[0]!, 'POST', `/v1/admin/elections/${ELECTION}/register`, { token: ADMIN_TOKEN, csv: registerCsv(members) }), 200);
    const north = devices[0]!;
    const south = devices[1]!;
    const feed = async (token: string, base: string) => (await c.call(base, 'GET', '/v1/changes?limit=10000', { token })).body.next as string;
    const northBase = c.urls[0]!;
    const southBase = c.urls[1 % c.urls.length]!;
    let after = { north: '0', south: '0' };
    // skip what the rounds produced
    for (let more = true; more; ) {
      const n = await c.call(northBase, 'GET', `/v1/changes?limit=10000&after=${after.north}`, { token: north.token });
      const s = await c.call(southBase, 'GET', `/v1/changes?limit=10000&after=${after.south}`, { token: south.token });
      after = { north: n.body.next, south: s.body.next };
      more = n.body.events.length === 10000 || s.body.events.length === 10000;
    }
    void feed;
    const pairs = await Promise.all(
      members.map(async (m) => {
        const a = receipt(m.barcode);
        const b = receipt(m.barcode);
        const [ra, rb] = await Promise.all([
          c.call(northBase, 'POST', '/v1/receipts', { token: north.token, json: { receipts: [a] } }),
          c.call(southBase, 'POST', '/v1/receipts', { token: south.token, json: { receipts: [b] } }),
        ]);
        return [ra.body.results[0], rb.body.results[0]] as const;
      }),
    );
    const flagIds = new Set<string>();
    for (const [a, b] of pairs) {
      const outcomes = [a.outcome, b.outcome].sort();
      expect(outcomes).toEqual(['accepted', 'flagged']);
      const loser = a.outcome === 'flagged' ? a : b;
      const winner = a.outcome === 'accepted' ? a : b;
      expect(loser.flag.kind).toBe('duplicate_scan');
      expect(loser.flag.relatedReceiptIds).toEqual([winner.receiptId]);
      flagIds.add(loser.flag.flagId);
    }
    for (const [token, base, from] of [
      [north.token, northBase, after.north],
      [south.token, southBase, after.south],
    ] as const) {
      const r = await c.call(base, 'GET', `/v1/changes?limit=10000&after=${from}`, { token });
      const seen = new Set(r.body.events.filter((e: any) => e.type === 'flag_raised').map((e: any) => e.flag.flagId));
      expect(seen).toEqual(flagIds);
    }
    void randomUUID;
  });
});
