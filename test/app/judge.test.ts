// The desk's verdict, rule by rule and in the order of contracts.md §4 (pure: no database).
import { describe, expect, it } from 'vitest';
import { judgeEnvelope, type EnvelopeFacts } from '../../electron/main/app/ledger/judge';
import type { RegisterEntry } from '../../electron/main/app/register/lookup';

const pack = (issue: number, status: RegisterEntry['status'] = 'issued', onlineVoted = false): RegisterEntry => ({ ballotNumber: 1, issue, status, memberRef: 'M', onlineVoted, onlineVotedAt: null });
const base: EnvelopeFacts = {
  register: { pack: pack(1), memberPacks: [pack(1)] },
  sameBarcodeReceipts: 0,
  sameMemberOtherReceipts: 0,
  scannedAt: new Date('2026-11-25T10:00:00Z'),
  closesAt: new Date('2026-11-25T18:00:00Z'),
  issue: 1,
};

describe('judgeEnvelope', () => {
  it.each<[string, Partial<EnvelopeFacts>, string | null]>([
    ['a valid pack', {}, null],
    ['no register loaded: register rules cannot apply', { register: null }, null],
    ['not in the register', { register: { pack: null, memberPacks: [] } }, 'unknown_ballot'],
    ['unknown beats duplicate', { register: { pack: null, memberPacks: [] }, sameBarcodeReceipts: 1 }, 'unknown_ballot'],
    ['already received', { sameBarcodeReceipts: 1 }, 'duplicate_scan'],
    ['duplicate beats superseded', { sameBarcodeReceipts: 1, register: { pack: pack(1, 'superseded'), memberPacks: [] } }, 'duplicate_scan'],
    ['status superseded', { register: { pack: pack(1, 'superseded'), memberPacks: [pack(1, 'superseded')] } }, 'superseded_ballot'],
    ['status cancelled', { register: { pack: pack(1, 'cancelled'), memberPacks: [pack(1, 'cancelled')] } }, 'superseded_ballot'],
    ['a higher issued pack exists', { register: { pack: pack(1), memberPacks: [pack(1), pack(2)] } }, 'superseded_ballot'],
    ['superseded beats member returned', { sameMemberOtherReceipts: 1, register: { pack: pack(1, 'superseded'), memberPacks: [] } }, 'superseded_ballot'],
    ['another pack of the member was received', { sameMemberOtherReceipts: 1 }, 'member_already_returned'],
    ['member returned beats online vote', { sameMemberOtherReceipts: 1, register: { pack: pack(1, 'issued', true), memberPacks: [] } }, 'member_already_returned'],
    ['voted online', { register: { pack: pack(1, 'issued', true), memberPacks: [] } }, 'online_vote_cast'],
    ['online vote beats late', { register: { pack: pack(1, 'issued', true), memberPacks: [] }, scannedAt: new Date('2026-11-25T19:00:00Z') }, 'online_vote_cast'],
    ['after the close', { scannedAt: new Date('2026-11-25T18:00:00.001Z') }, 'late_return'],
    ['exactly at the close is in time', { scannedAt: new Date('2026-11-25T18:00:00.000Z') }, null],
    ['late without a register', { register: null, scannedAt: new Date('2026-11-25T19:00:00Z') }, 'late_return'],
  ])('%s', (_name, facts, expected) => {
    expect(judgeEnvelope({ ...base, ...facts })).toBe(expected);
  });
});
