// The statement's second part: the whole centre as the central server holds it. A desk's own
// SQLite knows only its own envelopes, so the statement asks the server (GET /v1/centre/summary)
// and prints what it answered beside the desk's figures, or says in words why it could not.
// The labels here never repeat the desk part's labels ("Envelopes received: N", "(kind): N"),
// so a reader (or a test) matching a desk figure cannot land on a centre figure.
import { DECISIONS, DECISION_LABELS, FLAG_KINDS, FLAG_LABELS } from '../../../../shared/domain';
import type { CentreFigures } from '../../../../shared/api/types';
import type { CentreSummary } from '../../../../shared/protocol/central-api';
import type { Result } from '../../../../shared/result';
import { figureLine } from './statement-csv';
import { localWhen } from './local-time';
import { keepTogether, LEFT, statementTable, type Pdf } from './statement-pdf';
import type { CentreSummaryUnavailable } from '../sync/centre-summary';

export type { CentreFigures };

export function centreFiguresOf(r: Result<CentreSummary, CentreSummaryUnavailable>, thisDeviceId: string | null, unsentHere: number): CentreFigures {
  if (r.ok) return { status: 'included', summary: r.value, thisDeviceId, unsentHere };
  if (r.error.kind === 'not_enrolled') return { status: 'offline', reason: r.error.message };
  return { status: 'unreachable', at: r.error.at, reason: r.error.message };
}

// local time with its zone (local-time.ts), as every time on the statement
const when = (iso: string | null): string => localWhen(iso);

/** One sentence on what the statement covers, for its heading. */
export function centreScope(c: CentreFigures): string {
  if (c.status === 'included') return `this workstation, and the whole centre as the central server held it at ${when(c.summary.asOf)}`;
  if (c.status === 'offline') return `this workstation only (${c.reason})`;
  return `this workstation only (the central server could not be reached at ${when(c.at)}: ${c.reason})`;
}

// ---- CSV ----------------------------------------------------------------------------------

/** `centre,…` lines after the desk's own; the desk's lines are never changed by them. */
export function centreCsvLines(c: CentreFigures): string[] {
  const line = figureLine;
  const lines = [line('centre', 'status', c.status)];
  if (c.status === 'offline') return [...lines, line('centre', 'reason', c.reason)];
  if (c.status === 'unreachable') return [...lines, line('centre', 'unreachable_at', c.at), line('centre', 'reason', c.reason)];
  const s = c.summary;
  lines.push(
    line('centre', 'as_of', s.asOf),
    line('centre', 'centre_id', s.centreId),
    line('centre', 'centre_name', s.centreName),
    line('centre', 'election_number', s.electionNumber),
    line('centre', 'received', s.received),
    line('centre', 'accepted', s.accepted),
    line('centre', 'flagged', s.flagged),
    line('centre', 'workstations', s.workstations.length),
    line('centre', 'this_workstation_unsent', c.unsentHere),
  );
  for (const k of FLAG_KINDS) lines.push(line('centre_flagged_by_kind', k, s.flaggedByKind[k]));
  for (const d of [...DECISIONS, 'open'] as const) lines.push(line('centre_decisions_by_kind', d, s.decisionsByKind[d]));
  const names = workstationNames(s);
  s.workstations.forEach((w, i) => {
    const name = names[i]!;
    lines.push(
      line('centre_workstation', name, w.received),
      line('centre_workstation_last_received_at', name, w.lastReceivedAt),
      line('centre_workstation_last_witnessed_at', name, w.lastWitnessedAt),
      line('centre_workstation_revoked', name, w.revoked ? 'yes' : 'no'),
    );
  });
  return lines;
}

/**
 * Names that tell the desks apart: a desk enrolled again (its old token revoked) keeps its
 * name, so a repeated name carries its device id.
 */
function workstationNames(s: CentreSummary): string[] {
  const seen = new Map<string, number>();
  for (const w of s.workstations) seen.set(w.name, (seen.get(w.name) ?? 0) + 1);
  return s.workstations.map((w) => (seen.get(w.name)! > 1 ? `${w.name} (${w.deviceId})` : w.name));
}

// ---- PDF ----------------------------------------------------------------------------------

/** Draws the centre section; returns the number of lines written. */
export function drawCentreSection(doc: Pdf, c: CentreFigures): number {
  let lines = 0;
  doc.x = LEFT;
  // the heading with its first lines, never the heading alone at the foot of a page
  keepTogether(doc, 140);
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text('The whole centre, as the central server holds it', LEFT).font('Helvetica').fontSize(10.5).moveDown(0.2);
  const say = (text: string) => {
    doc.text(text, LEFT);
    lines++;
  };
  if (c.status !== 'included') {
    say(
      c.status === 'offline'
        ? `Not included: this statement covers this workstation only (${c.reason}).`
        : `Not included: this statement covers this workstation only. The central server could not be reached at ${when(c.at)}: ${c.reason}.`,
    );
    say('The other workstations of the centre make their own statements.');
    return lines;
  }
  const s = c.summary;
  say(`All workstations of ${s.centreName} (${s.centreId}), as the central server held them at ${when(s.asOf)}.`);
  say('Envelopes the server refused (bad barcodes) are not counted; the server may flag more than a desk did.');
  if (c.unsentHere > 0)
    say(`This workstation still has ${c.unsentHere} envelope${c.unsentHere === 1 ? '' : 's'} not yet sent to the server: in its own figures above, not yet in the centre's.`);
  say(`Centre envelopes received: ${s.received}`);
  say(`Centre accepted: ${s.accepted}`);
  say(`Centre flagged: ${s.flagged}`);

  // the centre's figures by kind, then its decisions by kind: two tables of two columns
  const counts = (header: string[], rows: string[][]) => {
    doc.moveDown(0.5);
    const table = statementTable(doc, [280, 215], 10.5);
    for (const [i, cells] of [header, ...rows].entries()) table.row(cells, i === 0);
    table.end();
    lines += rows.length + 1;
  };
  counts(['Centre, flagged by kind', 'Envelopes'], FLAG_KINDS.map((k) => [FLAG_LABELS[k], String(s.flaggedByKind[k])]));
  counts(
    ['Centre, decisions by kind (latest of each flag)', 'Flags'],
    [...DECISIONS.map((d) => [DECISION_LABELS[d], String(s.decisionsByKind[d])]), ['Not decided yet', String(s.decisionsByKind.open)]],
  );
  doc.moveDown(0.5);
  // Times in full (a day may span midnight), in a smaller type so they fit their columns.
  const desks = statementTable(doc, [140, 55, 125, 125, 50], 9);
  desks.row(['Workstation', 'Received', 'Last received', 'Last witnessed', 'Revoked'], true);
  lines++;
  const names = workstationNames(s);
  s.workstations.forEach((w, i) => {
    const name = w.deviceId === c.thisDeviceId ? `${names[i]} (this one)` : names[i]!;
    desks.row([name, String(w.received), when(w.lastReceivedAt), when(w.lastWitnessedAt), w.revoked ? 'revoked' : 'no']);
    lines++;
  });
  desks.end();
  doc.font('Helvetica').fontSize(10.5);
  return lines;
}
