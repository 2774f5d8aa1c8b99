// POST /v1/admin/elections/{n}/register: the register CSV (contracts.md §2), streamed from the
// request into a staging table in chunks, so 10 million rows never sit in memory. All or
// nothing: any bad row (by itself, or against other rows or the database) → the list of
// errors and no change. Otherwise the differences become register events, which the
// workstations read through GET /v1/register and GET /v1/changes.
import { createRegisterCsvParser, type RegisterRow, type RegisterRowError } from '../../shared/register/register-csv';
import { err, ok, type Result } from '../../shared/result';
import { isRetryable, type Db, type Queryable } from '../db/db';
import { reserveEventIds } from '../ledger/events';
import { linkUnregisteredReceipts } from './link-receipts';
import type { CodeHasher } from '../security/tokens';

export interface ImportSummary {
  imported: number;
  changed: number;
}
export type ImportRefusal = { kind: 'no_election' } | { kind: 'bad_rows'; errors: RegisterRowError[] };

const CHUNK_ROWS = 5000;
/** Enough for a person to see what is wrong; the rest would only repeat it. */
export const MAX_REPORTED_ERRORS = 1000;

export async function importRegister(
  db: Db,
  electionNumber: number,
  body: AsyncIterable<Uint8Array | string>,
  hashCode: CodeHasher,
  now: () => Date,
  /** progress for the operator's log: the phases of a big import take minutes */
  log: (fields: Record<string, unknown>, message: string) => void = () => undefined,
): Promise<Result<ImportSummary, ImportRefusal>> {
  const started = Date.now();
  const elapsed = (): number => (Date.now() - started) / 1000;
  const { rows: elections } = await db.query(`select 1 from elections where election_number = $1`, [electionNumber]);
  if (elections.length === 0) {
    // Still read the body, so the client sees our answer rather than a reset connection.
    for await (const _ of body) void _;
    return err({ kind: 'no_election' });
  }
  return db.transaction(async (tx) => {
    // One import per election at a time (other processes wait); receipts are not held up.
    await tx.query('select pg_advisory_xact_lock(4022002, $1)', [electionNumber]);
    // Grouping and joining millions of staged rows: sort and hash in memory, not on disk.
    await tx.query(`set local work_mem = '64MB'`);
    await tx.query(`create temp table register_staging (
        line integer not null, ballot_number integer not null, issue smallint not null,
        status text not null, member_ref text not null, code_hash text) on commit drop`);

    const errors: RegisterRowError[] = [];
    let errorCount = 0;
    let rows = 0;
    let pending: RegisterRow[] = [];
    const take = async (results: ReturnType<ReturnType<typeof createRegisterCsvParser>['push']>): Promise<void> => {
      for (const r of results) {
        if (r.ok) {
          rows++;
          if (errorCount === 0) pending.push(r.value); // after the first error nothing will be applied
        } else {
          errorCount++;
          if (errors.length < MAX_REPORTED_ERRORS) errors.push(r.error);
        }
      }
      if (pending.length >= CHUNK_ROWS) await flush();
    };
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const chunk = pending;
      pending = [];
      await stage(tx, chunk, hashCode);
    };

    const parser = createRegisterCsvParser();
    const decoder = new TextDecoder('utf-8', { fatal: true });
    try {
      for await (const piece of body) {
        await take(parser.push(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true })));
      }
      await take(parser.push(decoder.decode()));
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      // Invalid UTF-8: the rest cannot be read reliably.
      errorCount++;
      errors.push({ line: parser.linesRead + 1, message: 'the file is not valid UTF-8' });
    }
    await take(parser.end());
    if (errorCount > 0) return err({ kind: 'bad_rows', errors: errors.sort((a, b) => a.line - b.line) });
    await flush();
    // Temporary tables have no statistics: without them the planner guesses tiny tables and
    // picks nested loops over millions of rows.
    await tx.query('analyze register_staging');
    log({ electionNumber, rows, seconds: elapsed() }, 'register staged');

    const crossErrors = await checkAcrossRows(tx, electionNumber);
    log({ electionNumber, problems: crossErrors.length, seconds: elapsed() }, 'register checked across rows');
    if (crossErrors.length > 0) return err({ kind: 'bad_rows', errors: crossErrors });
    const changed = await retryingStep(tx, () =>
      applyDifferences(tx, electionNumber, now().toISOString(), (step) => log({ electionNumber, step, seconds: elapsed() }, 'register import step')),
    );
    log({ electionNumber, changed, seconds: elapsed() }, 'register differences applied');
    return ok({ imported: rows, changed });
  });
}

async function stage(tx: Queryable, chunk: RegisterRow[], hashCode: CodeHasher): Promise<void> {
  // One JSON parameter: serialised natively by Node, parsed in C by PostgreSQL (array
  // parameters would be escaped element by element in JavaScript).
  const rows = JSON.stringify(
    chunk.map((r) => ({ l: r.line, b: r.ballotNumber, i: r.issue, s: r.status, m: r.memberRef, h: r.onlineCode === null ? null : hashCode(r.onlineCode) })),
  );
  await tx.query(
    `insert into register_staging (line, ballot_number, issue, status, member_ref, code_hash)
     select l, b, i, s, m, h from jsonb_to_recordset($1::jsonb) as r(l integer, b integer, i smallint, s text, m text, h text)`,
    [rows],
  );
}

/** Rules that need the whole file or the database; each error names the line to fix. */
async function checkAcrossRows(tx: Queryable, electionNumber: number): Promise<RegisterRowError[]> {
  const { rows } = await tx.query<{ line: number; message: string }>(
    `select line, message from (
       select s.line, 'ballot ' || s.ballot_number || ' issue ' || s.issue || ' is listed twice (also line ' || f.first_line || ')' as message
         from register_staging s
         join (select ballot_number, issue, min(line) as first_line from register_staging group by ballot_number, issue having count(*) > 1) f
           on f.ballot_number = s.ballot_number and f.issue = s.issue and s.line <> f.first_line
       union all
       select s.line, 'ballot ' || s.ballot_number || ' belongs to more than one member in this file'
         from register_staging s
         join (select ballot_number from register_staging group by ballot_number having count(distinct member_ref) > 1) f
           on f.ballot_number = s.ballot_number
       union all
       select s.line, 'member ' || s.member_ref || ' has more than one online code in this file'
         from register_staging s
         join (select member_ref from register_staging where code_hash is not null group by member_ref having count(distinct code_hash) > 1) f
           on f.member_ref = s.member_ref
        where s.code_hash is not null
       union all
       select s.line, 'this online code is given to more than one member in this file'
         from register_staging s
         join (select code_hash from register_staging where code_hash is not null group by code_hash having count(distinct member_ref) > 1) f
           on f.code_hash = s.code_hash
       union all
       select s.line, 'online_code differs from the one already registered for member ' || s.member_ref
         from register_staging s
         join members m on m.election_number = $1 and m.member_ref = s.member_ref
        where s.code_hash is not null and m.code_hash is not null and m.code_hash <> s.code_hash
       union all
       select s.line, 'this online code is already in use by another member'
         from register_staging s
         join members m on m.code_hash = s.code_hash
        where not (m.election_number = $1 and m.member_ref = s.member_ref)
       union all
       select s.line, 'ballot ' || s.ballot_number || ' issue ' || s.issue || ' is already registered to another member'
         from register_staging s
         join ballots b on b.election_number = $1 and b.ballot_number = s.ballot_number and b.issue = s.issue
         join members m on m.member_id = b.member_id
        where m.member_ref <> s.member_ref
     ) problems order by line limit ${MAX_REPORTED_ERRORS}`,
    [electionNumber],
  );
  return rows;
}

/** New members and packs, and packs whose status changed, become register events. */
async function applyDifferences(tx: Queryable, electionNumber: number, at: string, step: (name: string) => void): Promise<number> {
  // A member's code state is never touched here: an import cannot reset a vote.
  await tx.query(
    `insert into members (election_number, member_ref, code_hash)
     select $1, s.member_ref, max(s.code_hash) from register_staging s
      where not exists (select 1 from members m where m.election_number = $1 and m.member_ref = s.member_ref)
      group by s.member_ref`,
    [electionNumber],
  );
  // A member registered earlier without a code (all packs cancelled) may now have one.
  await tx.query(
    `update members m set code_hash = s.code_hash
       from (select member_ref, max(code_hash) as code_hash from register_staging where code_hash is not null group by member_ref) s
      where m.election_number = $1 and m.member_ref = s.member_ref and m.code_hash is null`,
    [electionNumber],
  );
  step('members');
  await tx.query(`create temp table register_changed (
       line integer, ballot_number integer, issue smallint, status text, member_ref text, member_id bigint
     ) on commit drop`);
  await tx.query(`insert into register_changed
     select s.line, s.ballot_number, s.issue, s.status, s.member_ref, m.member_id
       from register_staging s
       join members m on m.election_number = $1 and m.member_ref = s.member_ref
       left join ballots b on b.election_number = $1 and b.ballot_number = s.ballot_number and b.issue = s.issue
      where b.status is null or b.status <> s.status`, [electionNumber]);
  step('changes found');
  await tx.query('analyze register_changed');
  const { rows } = await tx.query<{ n: number }>(`select count(*)::int as n from register_changed`);
  const n = rows[0]!.n;
  if (n === 0) return 0;
  await tx.query(
    `insert into ballots (election_number, ballot_number, issue, status, member_id)
     select $1, ballot_number, issue, status, member_id from register_changed
     on conflict (election_number, ballot_number, issue) do update set status = excluded.status`,
    [electionNumber],
  );
  step('ballots');
  // Envelopes received before their pack was on the register belong to a member from now on
  // (and the one-vote rule applies to them): in this transaction, so no desk and no redeem
  // ever sees the pack without them.
  const linked = await linkUnregisteredReceipts(tx, electionNumber, at);
  step(`receipts tied to their members: ${linked}`);
  // Ids are reserved first, and only then is each member's online vote read, in the same
  // statement that writes the events: a redeem that committed before it is seen here, and one
  // that commits after it waits for this transaction's counter lock and so gets later ids.
  // Either way a desk reading the feed in order ends with the member's true state.
  const first = await reserveEventIds(tx, electionNumber, n);
  await tx.query(
    `insert into register_events (event_id, election_number, ballot_number, issue, status, member_ref, online_voted, online_voted_at, recorded_at)
     select $2::bigint + row_number() over (order by c.line) - 1, $1, c.ballot_number, c.issue, c.status, c.member_ref,
            m.code_state = 'redeemed', case when m.code_state = 'redeemed' then m.redeemed_at end, $3
       from register_changed c join members m on m.member_id = c.member_id`,
    [electionNumber, first, at],
  );
  return n;
}

/**
 * The import's writing step, tried again from a savepoint when it lost a race with a receipt,
 * a decision or a redeem (deadlock, serialization failure): the staged file stays, so the
 * import need not be read again, and the admin gets an answer rather than a 500.
 */
async function retryingStep<T>(tx: Queryable, step: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await tx.query('savepoint register_apply');
    try {
      const out = await step();
      await tx.query('release savepoint register_apply');
      return out;
    } catch (e) {
      if (attempt >= attempts || !isRetryable(e)) throw e;
      await tx.query('rollback to savepoint register_apply');
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
