// The audit log: searchable by event type, person and time, newest first, in pages; `Verify`
// checks the whole hash chain and says the result in words. People are shown by name (in the
// Person column and wherever a detail names a person by id), found by any part of the name;
// times to the second, as the log records them.
import { useMemo, useState, type FormEvent } from 'react';
import type { AuditStatus } from '../../../shared/api/types';
import { useAuditQuery, useVerifyAuditQuery } from '../api/queries/audit';
import { usePeopleQuery } from '../api/queries/people';
import { ErrorText } from '../components/ErrorText';
import { ExportButtons } from '../components/ExportButtons';
import { AUDIT_EVENTS } from '../../../shared/audit/events';
import { Field } from '../components/Field';
import { count, dateTimeOf, fullDateTimeOf, secondsOf } from '../lib/format';

const PAGE = 50;
/** Each group (scan, flag, …) with all its events, then each event, from the shared catalogue. */
const EVENT_OPTIONS = [
  { value: '', label: 'All events' },
  ...[...new Set(Object.keys(AUDIT_EVENTS).map((e) => e.split('.')[0]!))].flatMap((group) => [
    { value: group, label: `${group} (all)` },
    ...Object.keys(AUDIT_EVENTS)
      .filter((e) => e.startsWith(`${group}.`))
      .map((e) => ({ value: e, label: e })),
  ]),
];

interface Query {
  event?: string;
  actor?: string;
  from?: string;
  to?: string;
}

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** A detail in one line; a value that is a person's id reads as their name. */
function describe(detail: unknown, names: ReadonlyMap<string, string>): string {
  if (detail === null || typeof detail !== 'object') return String(detail ?? '');
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' && names.has(v) ? names.get(v)! : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** What the central server's witnessed head adds to an intact chain, in words. */
function witnessedWords(status: AuditStatus): string {
  const w = status.witnessed;
  if (!w) return ' The central server has not witnessed this chain yet (or could not be asked).';
  const how = w.source === 'server' ? 'asked just now' : 'as last heard, the server could not be asked now';
  return ` The central server witnessed it up to entry ${w.seq} on ${dateTimeOf(w.witnessedAt)} (${how}), and nothing it saw was removed or changed.`;
}

export function AuditScreen() {
  const [query, setQuery] = useState<Query>({});
  const [offset, setOffset] = useState(0);
  const entries = useAuditQuery({ ...query, offset, limit: PAGE });
  const page = entries.data ?? null;
  const check = useVerifyAuditQuery();
  const status = check.data ?? null;
  const verifying = check.isFetching;
  const error = entries.error?.message ?? check.error?.message ?? null;
  const people = usePeopleQuery().data;
  const names = useMemo<ReadonlyMap<string, string>>(() => new Map((people ?? []).map((p) => [p.id, p.name])), [people]);

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const value = (k: string) => String(f.get(k) ?? '').trim() || undefined;
    setOffset(0);
    setQuery({ event: value('event'), actor: value('actor'), from: toIso(value('from') ?? ''), to: toIso(value('to') ?? '') });
  };
  const verify = () => void check.refetch();

  return (
    <section className="audit">
      <h1>Audit log</h1>
      <div className="row">
        <button type="button" onClick={verify} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify'}
        </button>
        <p role="status" aria-label="Audit check" className={status ? (status.ok ? 'ok' : 'error') : undefined}>
          {status
            ? status.ok
              ? `The audit chain is intact: all ${count(status.entries)} entries check out.${witnessedWords(status)}`
              : `The audit chain is BROKEN at entry ${status.firstBrokenSeq}: ${status.problem}. Tell the returning officer.`
            : 'Press Verify to check the whole chain.'}
        </p>
      </div>
      <form className="filters" onSubmit={search} aria-label="Search the audit log">
        <Field label="Event type" name="event" options={EVENT_OPTIONS} defaultValue="" />
        <Field label="Person" name="actor" placeholder="any part of a name" maxLength={80} />
        <Field label="From" name="from" type="datetime-local" />
        <Field label="To" name="to" type="datetime-local" />
        <button type="submit">Search</button>
      </form>
      <ErrorText error={error} />
      {page && (
        <>
          <p aria-live="polite">
            {count(page.total)} entries{page.total > 0 ? `; showing ${offset + 1}–${Math.min(offset + PAGE, page.total)}` : ''}.
          </p>
          <table className="data" aria-label="Audit entries">
            <thead>
              <tr>
                <th scope="col">No.</th>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Person</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.seq}>
                  <td className="num">{r.seq}</td>
                  <td className="time" title={fullDateTimeOf(r.at)}>
                    <time dateTime={r.at}>{secondsOf(r.at)}</time>
                  </td>
                  <td>
                    <code>{r.event}</code>
                  </td>
                  <td title={r.actor ?? undefined}>{r.actorName ?? (r.actor ? (names.get(r.actor) ?? r.actor) : '—')}</td>
                  <td className="detail">{describe(r.detail, names)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Newer
            </button>
            <button type="button" className="secondary" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              Older
            </button>
          </div>
        </>
      )}
      <h2>Export</h2>
      <ExportButtons which={['audit_jsonl']} />
    </section>
  );
}
