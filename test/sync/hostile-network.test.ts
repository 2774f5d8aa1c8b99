// Issue 13: the desk never loses or hides what it acknowledged, whatever lies between it and the
// server. Two desks of one centre scan and decide (decisions are part of the plan) behind a proxy
// that answers with web filters' and proxies' HTML pages (403, 404, 413, 502), a captive
// portal's 200 page, resets mid-answer and mid-request, drops, delays, double deliveries and a
// body limit. Meanwhile Sync status is sampled every 100 ms, both as the core computes it and as
// the screens were last told it, and compared with the outbox itself: it must never say
// "Up to date" while anything made here waits or is refused. Afterwards every acknowledged scan
// and decision is on the server exactly once, nothing is refused, and the status said in words
// what was wrong.
import { afterAll, describe, expect, it } from 'vitest';
import type { PushEvent } from '../../shared/api/types';
import { CALM, HOSTILE, startFaultProxy } from './fault-proxy';
import { barcodeOf, cleanUp, enrol, enrolmentCode, ENGINES, openWorkstation, serverProcess, setUpElection, waitFor, waitUpToDate, type Workstation } from './helpers';
import { lcg } from './seeded';
import { statusSampler } from './status-sampler';

afterAll(cleanUp);

const MEMBERS = 2_000;
const SCANS_PER_DESK = 1_200;
const SEED = Number(process.env.HOSTILE_SEED ?? 20261207);

interface Desk {
  ws: Workstation;
  sam: { personId: string; name: string; role: 'supervisor' };
  sue: { personId: string; name: string; role: 'supervisor' };
}

async function addSue(ws: Workstation): Promise<Desk> {
  const sue = await ws.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
  return { ws, sam: { personId: ws.operatorId, name: 'Sam', role: 'supervisor' }, sue: { personId: sue.id, name: 'Sue', role: 'supervisor' } };
}

describe.each(ENGINES.slice(0, 1))('a hostile network between the desks and the server (%s)', (engine) => {
  it('never says Up to date over something waiting or refused; every acknowledged scan and decision reaches the server once', { timeout: 540_000 }, async () => {
    const server = await serverProcess(engine);
    await setUpElection(server.url, MEMBERS, ['north']);
    const random = lcg(SEED);
    const proxy = await startFaultProxy(server.url, CALM, random);
    const desks: Desk[] = [];
    for (const name of ['North desk 1', 'North desk 2']) {
      const ws = await openWorkstation();
      await enrol(ws, proxy.url, await enrolmentCode(server.url, 'north'), name);
      await waitUpToDate(ws);
      desks.push(await addSue(ws));
    }
    const sampler = statusSampler(desks.map((d) => d.ws));

    // The plan: each desk scans its envelopes; one in ten is also scanned at the other desk
    // (the server flags it), one in twenty is not on the register (both sides flag it). Every
    // 40 scans Sue decides up to four open flags (set aside, or escalate).
    const plan: Array<{ desk: number; ballot: number }> = [];
    for (let i = 1; i <= SCANS_PER_DESK * 2; i++) {
      const desk = i % 2;
      const ballot = i % 20 === 0 ? MEMBERS + i : i;
      plan.push({ desk, ballot });
      if (i % 10 === 0 && ballot <= MEMBERS) plan.push({ desk: 1 - desk, ballot });
    }
    const ackedReceipts: string[] = [];
    const ackedDecisions: string[] = [];
    // The middle third is scanned while a captive portal answers everything with its sign-in
    // page: a backlog builds, and the proxy's body limit then splits its batches.
    const portal = { from: Math.floor(plan.length / 3), to: Math.floor((2 * plan.length) / 3) };
    proxy.setFaults(HOSTILE);
    for (let i = 0; i < plan.length; i++) {
      if (i === portal.from) proxy.setFaults({ ...CALM, portal200: 1 });
      if (i === portal.to) proxy.setFaults(HOSTILE);
      const { desk, ballot } = plan[i]!;
      const { ws } = desks[desk]!;
      const v = await ws.must('recordScan', { barcode: barcodeOf(ballot), source: 'scanner' });
      if (v.verdict === 'recorded' || v.verdict === 'flagged') ackedReceipts.push(v.receiptId);
      if (i % 40 === 39) ackedDecisions.push(...(await decideSome(desks[desk]!, i)));
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 60)); // the desks push meanwhile
    }
    // Every flag still open is decided in the storm, which goes on a while (receipts are all
    // sent by then, so the decisions meet the proxies' pages), then calm.
    for (const desk of desks) {
      // Delivery through the storm is what is asserted, not its speed (that is the sync benches'):
      // with four requests in ten failing, a shared CI machine has needed over two minutes.
      await waitFor('receipts sent in the storm', () => desk.ws.engine.receiptsWaiting() === 0, 240_000, 200);
      for (let round = 0; round < 50; round++) {
        const made = await decideSome(desk, 79 + round * 80);
        if (made.length === 0) break;
        ackedDecisions.push(...made);
      }
    }
    await new Promise((r) => setTimeout(r, 10_000));
    proxy.setFaults(CALM);
    for (const { ws } of desks) await waitUpToDate(ws, 180_000);
    for (const { ws } of desks) {
      await ws.must('syncNow', {});
      await ws.engine.whenIdle();
    }
    // While the second desk synced, the first one's periodic cycle may have begun ("Syncing"):
    // each is asked again once no cycle runs anywhere.
    for (const { ws } of desks) await waitUpToDate(ws, 60_000);
    const seen = sampler.stop();

    expect(seen.violations, seen.violations.slice(0, 5).join('\n')).toEqual([]);
    expect(seen.samples).toBeGreaterThan(100);
    for (const { ws } of desks) expect(ws.status()).toMatchObject({ text: 'Up to date', waiting: 0, refused: 0, lastError: null });
    // nothing was refused on a proxy's say-so
    for (const { ws } of desks) expect(ws.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE failed = 1 AND kind <> 'audit_head'").get()).toEqual({ n: 0 });
    const words = desks.flatMap(({ ws }) => ws.events.filter((e): e is Extract<PushEvent, { type: 'syncStatus' }> => e.type === 'syncStatus').map((e) => e.status.lastError ?? ''));
    const faults = { ...proxy.counts };
    expect(faults.html403 + faults.html404 + faults.html502 + faults.html413 + faults.portal200, JSON.stringify(faults)).toBeGreaterThan(20);
    expect(faults.tooLarge, 'the proxy body limit split batches').toBeGreaterThan(0);
    expect(ackedDecisions.length).toBeGreaterThan(20);

    // every acknowledged scan and decision on the server exactly once
    for (const { ws } of desks) await ws.close();
    await proxy.close();
    const db = await server.openDb();
    const receipts = (await db.query<{ id: string }>('select receipt_id::text as id from receipts')).rows.map((r) => r.id);
    const resolutions = (await db.query<{ id: string }>('select resolution_id::text as id from resolutions')).rows.map((r) => r.id);
    await db.close();
    expect(new Set(receipts).size).toBe(receipts.length);
    expect(receipts.length).toBe(ackedReceipts.length);
    expect(new Set(receipts)).toEqual(new Set(ackedReceipts));
    expect(new Set(resolutions)).toEqual(new Set(ackedDecisions));
    expect(resolutions.length).toBe(ackedDecisions.length);
    // the status said in words what was wrong
    expect(words.some((w) => /could not be reached: a proxy answered 40[34] with a web page/.test(w)), 'a proxy page in words').toBe(true);
    console.log(JSON.stringify({ test: 'hostile network', engine, seed: SEED, receipts: receipts.length, decisions: resolutions.length, samples: seen.samples, texts: seen.texts, faults }));
  });
});

/** Sue decides up to four open flags at this desk (never her own scans: Sam scanned them). */
async function decideSome(desk: Desk, i: number): Promise<string[]> {
  const { ws } = desk;
  ws.core.session.start(desk.sue, new Date());
  try {
    const open = (await ws.must('listFlags', { state: 'open', offset: 0, limit: 4 })).rows as Array<{ flagId: string }>;
    if (open.length === 0) return [];
    const decision = i % 80 === 79 ? 'escalate' : 'set_aside';
    const results = (await ws.must('decideFlags', { flagIds: open.map((f) => f.flagId), decision, note: `decided in the plan at step ${i}` })) as Array<{ flagId: string; ok: boolean }>;
    return results
      .filter((r) => r.ok)
      .map((r) => (ws.core.db.prepare('SELECT id FROM decisions WHERE flag_id = ? AND made_here = 1 ORDER BY rowid DESC LIMIT 1').get(r.flagId) as { id: string }).id);
  } finally {
    ws.core.session.start(desk.sam, new Date());
  }
}
