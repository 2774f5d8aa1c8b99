// Fills a running central server with the demo election, through its own API: election,
// centre, the register (written to DIR/register.csv and uploaded), a share of members who
// already voted online, the envelope sheet for the first 200 members, and an enrolment code.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { AdminClient } from '../admin/client';
import { writeBarcodeSheet } from './barcode-sheet';
import { demoMembers, registerCsvLines, type DemoMember } from './demo-register';

export const DEMO_ELECTION = 1022;
export const DEMO_CENTRE = 'demo-centre';

export interface DemoOptions {
  server: string;
  adminToken: string;
  dir: string;
  members?: number;
  /** members on the envelope sheet */
  sheetMembers?: number;
  /** every n-th member votes online before the demo starts */
  onlineEvery?: number;
  now?: Date;
}

export interface DemoSummary {
  created: boolean;
  enrolmentCode: string;
  expiresAt: string;
  registerFile: string;
  sheetFile: string;
  onlineVoters: number;
  members: DemoMember[];
}

export async function seedDemo(o: DemoOptions): Promise<DemoSummary> {
  const admin = new AdminClient(o.server, o.adminToken);
  const members = demoMembers(o.members ?? 10_000);
  const registerFile = join(o.dir, 'register.csv');
  const sheetFile = join(o.dir, 'envelopes.pdf');
  const now = o.now ?? new Date();
  const closesAt = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const election = await admin.createElection(DEMO_ELECTION, 'Leadership election 2026', closesAt);
  // 409: the demo ran in this directory before; keep its data, just hand out a new code.
  const created = election.ok;
  if (!election.ok && election.error.status !== 409) throw new Error(`create election: ${election.error.detail}`);
  let onlineVoters = 0;
  if (created) {
    const centre = await admin.createCentre(DEMO_CENTRE, 'Demo counting centre', DEMO_ELECTION);
    if (!centre.ok) throw new Error(`create centre: ${centre.error.detail}`);
    await writeRegister(registerFile, members);
    const imported = await admin.importRegister(DEMO_ELECTION, registerFile);
    if (!imported.ok) throw new Error(`import register: ${imported.error.detail} ${JSON.stringify(imported.error.errors?.slice(0, 5))}`);
    const platform = await admin.integrationToken();
    if (!platform.ok) throw new Error(`integration token: ${platform.error.detail}`);
    for (let i = 0; i < members.length; i += o.onlineEvery ?? 40) {
      const m = members[i]!;
      if (!m.valid) continue;
      const r = await fetch(new URL('/v1/online-codes/redeem', o.server), {
        method: 'POST',
        headers: { authorization: `Bearer ${platform.value.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: m.onlineCode }),
      });
      if (r.status === 200) onlineVoters++;
      await r.arrayBuffer();
    }
  }
  await writeBarcodeSheet(
    sheetFile,
    'Ballot Intake demo envelopes — election 1022',
    members.slice(0, o.sheetMembers ?? 200).map((m) => {
      const pack = m.valid ?? m.packs[m.packs.length - 1]!;
      const note = m.valid ? (pack.issue > 1 ? 'replacement pack' : '') : 'cancelled pack';
      return { barcode: encodeBarcode(DEMO_ELECTION, pack.ballotNumber, pack.issue), caption: [m.memberRef, note].filter(Boolean).join(' · ') };
    }),
  );
  const code = await admin.enrolmentCode(DEMO_CENTRE);
  if (!code.ok) throw new Error(`enrolment code: ${code.error.detail}`);
  return { created, enrolmentCode: code.value.enrolmentCode, expiresAt: code.value.expiresAt, registerFile, sheetFile, onlineVoters, members };
}

async function writeRegister(path: string, members: DemoMember[]): Promise<void> {
  const out = createWriteStream(path);
  for (const line of registerCsvLines(members)) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
