// PINs are hashed with scrypt (async, in libuv's thread pool) and compared in constant time.
//
// A 6-digit PIN has a million values: whoever holds a hash and can compute it tries them all.
// Two things stand in the way (docs/security.md, "PIN hashes"):
// - the cost: scrypt at N = 2^17, r = 8 (128 MB and ~100 ms or more per guess);
// - a key (a "pepper") that is not in the database: it lives in the host's secret store
//   (Electron's safeStorage, or the headless host's 0600 file). The PIN is HMAC'd with it
//   before scrypt, so a copied database alone gives nothing to guess against.
//
// Stored format: scrypt2$N$r$p$KEYID$salt$hash (KEYID: which key, "-" for none; salt and hash in
// base64). Hashes of the first format, scrypt$N$r$p$salt$hash (no key), are still checked, and
// every hash that is not of the current cost and key is made again on the next good sign-in.
import { createHash, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { AppLog, SecretStore } from '../app.types';

export interface PinCost {
  /** CPU/memory cost, a power of two */
  N: number;
  r: number;
  p: number;
}

/** What production uses. Tests may pass a lower cost through the core's options (never the hosts). */
export const PRODUCTION_PIN_COST: Readonly<PinCost> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/** The secret store's name for the PIN key. */
export const PIN_KEY_SECRET = 'pin-key';

const KEY_LENGTH = 32;
const NO_KEY = '-';
/** scrypt needs 128·N·r bytes (plus a little): room for that, and a ceiling a forged hash cannot pass. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

export interface PinKey {
  /** a short fingerprint of the key (not the key), written into each hash made with it */
  id: string;
  key: Buffer;
}

/** The outcome of checking a PIN against a stored hash. */
export type PinCheck = 'good' | 'wrong' | 'no_key';

interface Parsed {
  version: 1 | 2;
  cost: PinCost;
  keyId: string;
  salt: Buffer;
  hash: Buffer;
}

const isPow2 = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;

/** Reads a stored hash; null for anything malformed or of a cost outside sane bounds. */
export function parsePinHash(stored: string): Parsed | null {
  const parts = stored.split('$');
  let version: 1 | 2;
  let keyId = NO_KEY;
  let rest: string[];
  if (parts[0] === 'scrypt' && parts.length === 6) {
    version = 1;
    rest = parts.slice(1);
  } else if (parts[0] === 'scrypt2' && parts.length === 7) {
    version = 2;
    keyId = parts[4]!;
    rest = [parts[1]!, parts[2]!, parts[3]!, parts[5]!, parts[6]!];
  } else return null;
  const [n, r, p, salt, hash] = rest as [string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!isPow2(cost.N) || cost.N < 2 ** 10 || cost.N > 2 ** 18) return null;
  if (!Number.isInteger(cost.r) || cost.r < 1 || cost.r > 32 || !Number.isInteger(cost.p) || cost.p < 1 || cost.p > 4) return null;
  if (128 * cost.N * cost.r * 2 > MAX_SCRYPT_MEMORY) return null;
  if (!salt || !hash || !/^[0-9a-f]{16}$|^-$/.test(keyId)) return null;
  return { version, cost, keyId, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

/** The key's fingerprint: 64 bits of a hash of it, enough to tell keys apart and no help in finding one. */
export function pinKeyId(key: Buffer): string {
  return createHash('sha256').update('ballot-intake pin key id\0').update(key).digest('hex').slice(0, 16);
}

function scrypt(secret: Buffer, salt: Buffer, cost: PinCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, KEY_LENGTH, { N: cost.N, r: cost.r, p: cost.p, maxmem: Math.max(32 * 1024 * 1024, 128 * cost.N * cost.r * 2) }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
}

/**
 * Hashes and checks PINs with one cost and one key (loaded once, on first use). One scrypt runs
 * at a time: a desk has one person at its screen, and 128 MB per computation must not pile up.
 */
export class PinHasher {
  private queue: Promise<unknown> = Promise.resolve();
  private keyPromise: Promise<PinKey | null> | null = null;

  constructor(
    readonly cost: Readonly<PinCost>,
    private readonly loadKey: () => Promise<PinKey | null>,
  ) {}

  /** Loads the key (once); call before the synchronous checks below. */
  async ready(): Promise<PinKey | null> {
    this.keyPromise ??= this.loadKey();
    return this.keyPromise;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private secretOf(pin: string, key: PinKey | null): Buffer {
    return key ? createHmac('sha256', key.key).update(pin, 'utf8').digest() : Buffer.from(pin, 'utf8');
  }

  async hash(pin: string): Promise<string> {
    const key = await this.ready();
    const salt = randomBytes(16);
    const { N, r, p } = this.cost;
    const derived = await this.serial(() => scrypt(this.secretOf(pin, key), salt, this.cost));
    return `scrypt2$${N}$${r}$${p}$${key?.id ?? NO_KEY}$${salt.toString('base64')}$${derived.toString('base64')}`;
  }

  /**
   * Whether this hash can be checked here at all: false when it was made with a key this
   * computer's secret store does not hold (a keyring reset, a database copied elsewhere).
   * Synchronous, after ready(), so a sign-in can decide in one transaction.
   */
  canCheck(stored: string, key: PinKey | null): boolean {
    const parsed = parsePinHash(stored);
    if (!parsed) return true; // checked, and wrong
    return parsed.keyId === NO_KEY || parsed.keyId === key?.id;
  }

  async check(pin: string, stored: string): Promise<PinCheck> {
    const key = await this.ready();
    const parsed = parsePinHash(stored);
    if (!parsed) return 'wrong';
    if (!this.canCheck(stored, key)) return 'no_key';
    const secret = parsed.keyId === NO_KEY ? this.secretOf(pin, null) : this.secretOf(pin, key);
    const derived = await this.serial(() => scrypt(secret, parsed.salt, parsed.cost));
    return derived.length === parsed.hash.length && timingSafeEqual(derived, parsed.hash) ? 'good' : 'wrong';
  }

  /** True when the hash is not of the current format, cost and key: made again at the next good sign-in. */
  async needsRehash(stored: string): Promise<boolean> {
    const key = await this.ready();
    const parsed = parsePinHash(stored);
    if (!parsed) return true;
    const { N, r, p } = this.cost;
    return parsed.version !== 2 || parsed.cost.N !== N || parsed.cost.r !== r || parsed.cost.p !== p || parsed.keyId !== (key?.id ?? NO_KEY);
  }
}

/**
 * The PIN key from the secret store, made there on first use. It is never replaced while a
 * stored hash names a key: a keyring that is locked or unreachable today must not cost every
 * person their PIN tomorrow. Where the store cannot keep a secret (no keyring), PINs are
 * hashed without a key, and the log says so; they are made again with one once it can.
 */
export async function loadPinKey(store: SecretStore, keyIdsInUse: () => string[], log: AppLog): Promise<PinKey | null> {
  let stored: string | null = null;
  try {
    stored = await store.get(PIN_KEY_SECRET);
  } catch (e) {
    log.warn('the PIN key could not be read from the secret store', { store: store.description, error: (e as Error).message });
  }
  const key = stored ? Buffer.from(stored, 'base64') : null;
  if (key && key.length === 32) return { id: pinKeyId(key), key };
  const inUse = keyIdsInUse();
  if (inUse.length > 0) {
    log.error(
      'the key that protects the PINs is missing from the secret store: people whose PIN was set with it cannot sign in until a supervisor sets a new PIN',
      { store: store.description, keyIds: inUse },
    );
    return null;
  }
  const fresh = randomBytes(32);
  const saved = await store.set(PIN_KEY_SECRET, fresh.toString('base64')).catch((e: unknown) => ({ ok: false as const, error: (e as Error).message }));
  if (!saved.ok) {
    log.warn('PINs are hashed without a key from the secret store, so a copy of the database alone is enough to guess them', {
      store: store.description,
      reason: saved.error,
    });
    return null;
  }
  return { id: pinKeyId(fresh), key: fresh };
}

/** The key ids named by stored hashes (for loadPinKey). */
export function keyIdsOf(hashes: Iterable<string>): string[] {
  const ids = new Set<string>();
  for (const h of hashes) {
    const parsed = parsePinHash(h);
    if (parsed && parsed.keyId !== NO_KEY) ids.add(parsed.keyId);
  }
  return [...ids];
}
