// POST /v1/online-codes/redeem: the online-voting platform asks to use a member's code.
// Under the member's row lock (the same lock a postal receipt takes), so exactly one of
// "online vote" and "postal envelope" wins, whatever the timing and the process.
import { err, ok, type Result } from '../../shared/result';
import { retryingTransaction, type Db } from '../db/db';
import type { CodeHasher } from '../security/tokens';
import { appendEvents } from './events';

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
    await tx.query(`update members set code_state = 'redeemed', redeemed_at = $2 where member_id = $1`, [member.member_id, at]);
    // Every workstation's register copy learns that this member's packs are now votes cast online.
    const { rows: packs } = await tx.query<{ ballot_number: number; issue: number; status: 'issued' | 'superseded' | 'cancelled' }>(
      `select ballot_number, issue, status from ballots where member_id = $1 order by ballot_number, issue`,
      [member.member_id],
    );
    await appendEvents(
      tx,
      member.election_number,
      packs.map((p) => ({ ballotNumber: p.ballot_number, issue: p.issue, status: p.status, memberRef: member.member_ref, onlineVoted: true })),
      [],
      at,
    );
    return ok({ memberRef: member.member_ref });
  });
}
