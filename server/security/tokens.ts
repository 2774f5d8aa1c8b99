// Secrets the server hands out or checks. Bearer tokens are 256-bit random values, kept only
// as SHA-256 hashes (a stolen database holds no usable token). Online codes are short, so a
// plain hash could be brute-forced: they are kept as HMAC-SHA256 under the server secret,
// which lives outside the database (see server-secret.ts). Tokens are never compared as
// strings: the hash of the presented token is the database lookup key, so response timing
// says nothing about stored values.
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

export type TokenKind = 'device' | 'integration' | 'admin';

// The prefix tells a person (and a secret scanner) what a leaked string is; it is not trusted.
const PREFIX: Record<TokenKind, string> = { device: 'bid_', integration: 'bii_', admin: 'bia_' };

export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A name for a token in records (who did what): the first 16 hex digits of the hash the
 * database already keeps. The token cannot be derived from it, it cannot be used to sign in
 * (the server hashes what it is sent), and it stays the same for as long as the token does.
 */
export function tokenIdOf(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

/** Online codes as typed by a member: case and separators do not matter. */
export function normaliseOnlineCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export type CodeHasher = (onlineCode: string) => string;

export function onlineCodeHasher(secret: Buffer): CodeHasher {
  return (code) => createHmac('sha256', secret).update(normaliseOnlineCode(code), 'utf8').digest('hex');
}

// Crockford's base32 without I, L, O, U: nothing to misread when typed from a phone call.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 60 bits, shown as XXXX-XXXX-XXXX; single-use, expiring and rate-limited, so this is plenty. */
export function newEnrolmentCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

export function normaliseEnrolmentCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export function hashEnrolmentCode(code: string): string {
  return hashToken('enrol:' + normaliseEnrolmentCode(code));
}
