// Fills a running central server with the demo election, through its own API: election,
// centre, the register (written to DIR/register.csv and uploaded), a share of members who
// already voted online, the training pack of envelope labels (DIR/envelopes.pdf: one row for
// each verdict, then everyday envelopes), and an enrolment code.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { AdminClient } from '../admin/client';
import { writeTrainingSheet } from './barcode-sheet';
import { trainingPack, type TrainingCase, type TrainingEnvelope } from './training-envelopes';
import { demoMembers, registerCsvLines, type DemoMember } from './demo-register';

export const DEMO_ELECTION = 1022;
export const DEMO_CENTRE = 'demo-centre';

export interface DemoOptions {
  server: string;
  adminToken: string;
  dir: string;
  members?: number;
  /** everyday envelopes on the training sheet, after the row of each verdict */
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
  /** what the sheet prints: each label's envelope and its expected verdict */
  training: { cases: TrainingCase[]; everyday: TrainingEnvelope[] };
}

/** Every `onlineEvery`-th member with a valid pack votes online before the demo starts. */
export function demoOnlineVoters(members: readonly DemoMember[], onlineEvery: number): DemoMember[] {
  return members.filter((m, i) => i % onlineEvery === 0 && m.valid);
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
  const voters = demoOnlineVoters(members, o.onlineEvery ?? 40);
  if (created) {
    const centre = await admin.createCentre(DEMO_CENTRE, 'Demo counting centre', DEMO_ELECTION);
    if (!centre.ok) throw new Error(`create centre: ${centre.error.detail}`);
    await writeRegister(registerFile, members);
    const imported = await admin.importRegister(DEMO_ELECTION, registerFile);
    if (!imported.ok) throw new Error(`import register: ${imported.error.detail} ${JSON.stringify(imported.error.errors?.slice(0, 5))}`);
    const platform = await admin.integrationToken();
    if (!platform.ok) throw new Error(`integration token: ${platform.error.detail}`);
    for (const m of voters) {
      const r = await fetch(new URL('/v1/online-codes/redeem', o.server), {
        method: 'POST',
        headers: { authorization: `Bearer ${platform.value.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: m.onlineCode }),
      });
      await r.arrayBuffer();
      // The training sheet says which members voted online: each one must have.
      if (r.status !== 200) throw new Error(`online vote of ${m.memberRef}: HTTP ${r.status}`);
    }
  } else {
    // An earlier run's election: its close moves to a week from now, so that the sheet's
    // envelopes are not late when scanned today.
    const moved = await admin.updateElection(DEMO_ELECTION, { closesAt });
    if (!moved.ok) throw new Error(`move the close: ${moved.error.detail}`);
  }
  const training = trainingPack(
    { electionNumber: DEMO_ELECTION, members, onlineVoters: new Set(voters.map((m) => m.memberRef)), closesAt: Date.parse(closesAt), scannedAt: now.getTime() },
    o.sheetMembers ?? 84,
  );
  await writeTrainingSheet(sheetFile, {
    title: `Ballot Intake demo: training envelopes, election ${DEMO_ELECTION}`,
    about: [
      `Election ${DEMO_ELECTION} "Leadership election 2026", centre "${DEMO_CENTRE}", closing ${closesAt.slice(0, 10)}.`,
      'The enrolment code and the server address are printed where the demo was started (npm run demo).',
    ],
    ...training,
  });
  const code = await admin.enrolmentCode(DEMO_CENTRE);
  if (!code.ok) throw new Error(`enrolment code: ${code.error.detail}`);
  return { created, enrolmentCode: code.value.enrolmentCode, expiresAt: code.value.expiresAt, registerFile, sheetFile, onlineVoters: voters.length, members, training };
}

async function writeRegister(path: string, members: DemoMember[]): Promise<void> {
  const out = createWriteStream(path);
  for (const line of registerCsvLines(members)) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
