// POST /v1/online-codes/redeem: the online-voting platform asks to use a member's code.
// Under the member's row lock (the same lock a postal receipt takes), so exactly one of
// "online vote" and "postal envelope" wins, whatever the timing and the process.
import { err, ok, type Result } from '../../shared/result';
import { retryingTransaction, type Db } from '../db/db';
import type { CodeHasher } from '../security/tokens';

export type RedeemOutcome = 'redeemed' | 'postal_ballot_received' | 'already_redeemed' | 'unknown_code';

export async function redeemOnlineCode(
  db: Db,
  hashCode: CodeHasher,
  code: string,
  now: () => Date,
): Promise<Result<{ memberRef: string }, Exclude<RedeemOutcome, 'redeemed'>>> {
  const codeHash = hashCode(code);
  return retryingTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ member_id: number; member_ref: string; election_number: number; code_state: string; counted_receipt_id: string | null }>(
      `select member_id, member_ref, election_number, code_state, counted_receipt_id::text
         from members where code_hash = $1 for update`,
      [codeHash],
    );
    const member = rows[0];
    if (!member) return err('unknown_code' as const);
    if (member.code_state === 'redeemed') return err('already_redeemed' as const);
    if (member.code_state === 'deactivated' || member.counted_receipt_id !== null) return err('postal_ballot_received' as const);
    const at = now().toISOString();
    // One statement: the code is spent, and every workstation's register copy learns that this
    // member's packs are now votes cast online, and when (register events, ids taken from the
    // counter last).
    await tx.query(
      `with spent as (
         update members set code_state = 'redeemed', redeemed_at = $3 where member_id = $1 returning 1),
       packs as (
         select ballot_number, issue, status, row_number() over (order by ballot_number, issue) as k from ballots where member_id = $1),
       ids as (
         update event_counters set last_event_id = last_event_id + (select count(*) from packs)
          where election_number = $2 returning last_event_id)
       insert into register_events (event_id, election_number, ballot_number, issue, status, member_ref, online_voted, online_voted_at, recorded_at)
       select (select last_event_id from ids) - (select count(*) from packs) + k, $2, ballot_number, issue, status, $4, true, $3, $3
         from packs`,
      [member.member_id, member.election_number, at, member.member_ref],
    );
    return ok({ memberRef: member.member_ref });
  });
}
