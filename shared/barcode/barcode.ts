// The envelope barcode of contracts.md §1: 16 ASCII digits, EEEE BBBBBBBBB I CC, with
// ISO/IEC 7064 MOD 97-10 check digits. Used by the renderer (instant feedback), the app
// core (the authority at the desk) and the central server, so all three agree exactly.
import { err, ok, type Result } from '../result';

export interface Envelope {
  /** the 16-digit payload */
  readonly barcode: string;
  readonly electionNumber: number;
  readonly ballotNumber: number;
  readonly issue: number;
}

/** The reasons of contracts.md §1, in words an operator can act on. */
export type BarcodeRejection =
  | 'wrong length'
  | 'not digits'
  | 'check digits do not match'
  // Our addition to §1: election 0000, ballot 000000000 or issue 0 cannot have been printed.
  | 'not a valid envelope number'
  | `election ${string} is not this election`;

const PAYLOAD_LENGTH = 16;
// A scanner read is short; anything much longer is not a barcode and is not worth scanning.
const MAX_INPUT_LENGTH = 256;

/**
 * Scanner and manual input alike: strip surrounding whitespace (including the scanner's
 * trailing CR/LF/Tab), one leading AIM symbology identifier (`]` + two characters), and the
 * spaces and hyphens of the human-readable form.
 */
export function normaliseBarcodeInput(raw: string): string {
  let s = raw.length > MAX_INPUT_LENGTH ? raw.slice(0, MAX_INPUT_LENGTH + 1) : raw;
  s = s.trim();
  if (s.startsWith(']') && s.length >= 3) s = s.slice(3);
  return s.replace(/[ -]/g, '');
}

/** MOD 97-10 over a string of ASCII digits, without BigInt (14 digits × 100 overflows 2^53). */
function mod97(digits: string): number {
  let r = 0;
  for (let i = 0; i < digits.length; i++) r = (r * 10 + (digits.charCodeAt(i) - 48)) % 97;
  return r;
}

/** The two check digits for the first 14 digits: CC = 98 - ((N * 100) mod 97). */
export function checkDigits(first14: string): string {
  const cc = 98 - mod97(first14 + '00');
  return cc.toString().padStart(2, '0');
}

const DIGITS_ONLY = /^[0-9]+$/;

/**
 * Parse operator input into an envelope, or the reason it is refused. With
 * `expectedElection` set, a valid barcode of another election is refused too.
 */
export function parseBarcode(
  raw: string,
  expectedElection?: number,
): Result<Envelope, BarcodeRejection> {
  const s = normaliseBarcodeInput(raw);
  if (s.length === 0) return err('wrong length');
  // Non-digit content is the more useful reason when present (a keyboard layout mix-up,
  // a letter typed by hand), even when the length is also off.
  if (!DIGITS_ONLY.test(s)) return err('not digits');
  if (s.length !== PAYLOAD_LENGTH) return err('wrong length');
  if (mod97(s) !== 1) return err('check digits do not match');
  const electionNumber = Number(s.slice(0, 4));
  const ballotNumber = Number(s.slice(4, 13));
  const issue = Number(s.slice(13, 14));
  // Out-of-range fields (election 0000, ballot 0, issue 0) cannot have been printed.
  if (electionNumber === 0 || ballotNumber === 0 || issue === 0)
    return err('not a valid envelope number');
  if (expectedElection !== undefined && electionNumber !== expectedElection) {
    return err(`election ${s.slice(0, 4)} is not this election` as BarcodeRejection);
  }
  return ok({ barcode: s, electionNumber, ballotNumber, issue });
}

/** Build the payload for an envelope (for printing packs, demos and tests). */
export function encodeBarcode(electionNumber: number, ballotNumber: number, issue: number): string {
  if (!Number.isInteger(electionNumber) || electionNumber < 1 || electionNumber > 9999)
    throw new RangeError(`election number out of range: ${electionNumber}`);
  if (!Number.isInteger(ballotNumber) || ballotNumber < 1 || ballotNumber > 999_999_999)
    throw new RangeError(`ballot number out of range: ${ballotNumber}`);
  if (!Number.isInteger(issue) || issue < 1 || issue > 9)
    throw new RangeError(`issue out of range: ${issue}`);
  const first14 =
    electionNumber.toString().padStart(4, '0') + ballotNumber.toString().padStart(9, '0') + issue;
  return first14 + checkDigits(first14);
}

/** The printed human-readable form `EEEE-BBBBBBBBB-I-CC` of a 16-digit payload. */
export function formatBarcode(payload: string): string {
  return `${payload.slice(0, 4)}-${payload.slice(4, 13)}-${payload.slice(13, 14)}-${payload.slice(14, 16)}`;
}

/**
 * A rejection as the operator reads it on the scan panel: the reason of §1 and, where the
 * envelope is in hand and a second try can succeed, what was read and what to do next. A
 * 16-digit read with wrong check digits is usually a misread (or a typing slip): showing the
 * digits lets the operator compare them with the number printed under the bars.
 */
export function rejectionWords(rejection: BarcodeRejection, raw: string, source: 'scanner' | 'camera' | 'manual'): string {
  if (rejection !== 'check digits do not match') return rejection;
  const read = normaliseBarcodeInput(raw);
  const shown = read.length === PAYLOAD_LENGTH ? formatBarcode(read) : read;
  const next = source === 'manual' ? 'compare it with the number printed on the envelope and type it again' : 'scan it again, or type the printed number with Manual entry';
  return `check digits do not match (read ${shown}): ${next}`;
}
