// Everything known about one flagged ballot and its member: the receipt, every receipt of
// the member's packs (here and elsewhere), the register entries, and earlier decisions.
import { outcomeWords, receiptVerdictWords } from '../../../shared/api/verdict-text';
import type { FlagDetail } from '../../../shared/api/types';
import { DECISION_LABELS, FLAG_LABELS, type RegisterStatus } from '../../../shared/domain';
import { dateTimeOf, fullDateTimeOf } from '../lib/format';
import { useAppStore } from '../state/app-store';

/** A pack's status in the register, in words. */
const STATUS_WORDS: Record<RegisterStatus, string> = { issued: 'issued (current pack)', superseded: 'replaced by a newer pack', cancelled: 'cancelled' };

export function FlagDetailView({ detail }: { detail: FlagDetail }) {
  const f = detail.flag;
  const closesAt = useAppStore((s) => s.state?.workstation.closesAt ?? null);
  return (
    <div className="flag-detail">
      <dl className="facts">
        <dt>Kind</dt>
        <dd className="kind">{FLAG_LABELS[f.kind]}</dd>
        <dt>Ballot</dt>
        <dd className="mono">
          {f.display} (ballot {f.ballotNumber}, issue {f.issue})
        </dd>
        <dt>Member</dt>
        <dd>{f.memberRef ?? 'not in the register'}</dd>
        <dt>Scanned</dt>
        <dd>
          <time dateTime={f.scannedAt}>{fullDateTimeOf(f.scannedAt)}</time> at {f.workstationName} by {f.operatorName}
        </dd>
        <dt>Where the envelope is</dt>
        {/* where the envelope physically is now: the tray itself or a pocket (a re-scan may have moved it) */}
        <dd>{f.location}</dd>
        <dt>Verdicts</dt>
        <dd>
          Desk: {receiptVerdictWords(f.deskVerdict)}; server: {f.serverVerdict ? receiptVerdictWords(f.serverVerdict) : 'not synchronised yet'}
          {detail.serverDetail && <> — {detail.serverDetail}</>}
        </dd>
        {detail.onlineVotedAt && (
          <>
            <dt>Voted online</dt>
            <dd>{dateTimeOf(detail.onlineVotedAt)}</dd>
          </>
        )}
        {/* The returning officer may move the close later after the desk flagged an envelope late. */}
        {f.kind === 'late_return' && closesAt && Date.parse(f.scannedAt) <= Date.parse(closesAt) && (
          <>
            <dt>Closing time</dt>
            <dd className="notice">
              Moved since to {fullDateTimeOf(closesAt)}: by the closing time now in force, this envelope was not late.
            </dd>
          </>
        )}
      </dl>
      <h3>Envelopes of this member</h3>
      <table aria-label="Envelopes of this member">
        <thead>
          <tr>
            <th scope="col">Ballot</th>
            <th scope="col">Received</th>
            <th scope="col">Where</th>
            <th scope="col">Tray · position</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {detail.memberReceipts.map((m) => (
            <tr key={m.receiptId} className={m.receiptId === f.receiptId ? 'selected' : undefined}>
              <td className="mono">{m.display}</td>
              <td>{dateTimeOf(m.scannedAt)}</td>
              <td>{m.workstationName}</td>
              <td>{m.batchLabel ? `${m.batchLabel} · ${m.position}` : '—'}</td>
              <td>{outcomeWords(m.outcome)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Register</h3>
      {detail.registerEntries.length === 0 ? (
        <p>No pack of this ballot is in the register.</p>
      ) : (
        <ul>
          {detail.registerEntries.map((e) => (
            <li key={`${e.ballotNumber}-${e.issue}`}>
              ballot {e.ballotNumber} issue {e.issue}: {STATUS_WORDS[e.status] ?? e.status}
              {e.onlineVoted ? ', member voted online' : ''}
            </li>
          ))}
        </ul>
      )}
      {detail.decisions.length > 0 && (
        <>
          <h3>Decisions so far</h3>
          <ul>
            {detail.decisions.map((d, i) => (
              <li key={i} className={d.refusedByServer ? 'refused' : undefined}>
                {/* A refused decision stays on record, struck through, with the server's reason. */}
                <span className={d.refusedByServer ? 'struck' : undefined}>
                  {dateTimeOf(d.decidedAt)} {d.supervisorName}: <strong>{DECISION_LABELS[d.decision]}</strong> — {d.note}
                </span>
                {d.refusedByServer && <span className="error"> Refused by the central server: {d.refusedByServer}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
