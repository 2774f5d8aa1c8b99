// People who work at this workstation: operators and supervisors, their PINs, lockout.
//
// Sign-in calls run side by side (each awaits scrypt), so the lockout cannot be a read, a wait and
// a write: an attempt is counted in one transaction BEFORE its PIN is checked, and an account
// with MAX_FAILED_PINS attempts counted (checked or still being checked) takes no more until
// the lock ends. A good PIN clears the count.
import { randomUUID } from 'node:crypto';
import type { PersonSummary, SessionInfo } from '../../../../shared/api/types';
import type { Role } from '../../../../shared/domain';
import { err, ok, type Result } from '../../../../shared/result';
import type { AppLog, SecretStore } from '../app.types';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import { keyIdsOf, loadPinKey, PinHasher, PRODUCTION_PIN_COST, type PinCost } from './pin';

export const MAX_FAILED_PINS = 5;
export const LOCKOUT_MS = 5 * 60 * 1000;

interface PersonRow {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  disabled: number;
  failed_attempts: number;
  locked_until: string | null;
}

const summary = (p: PersonRow): PersonSummary => ({
  id: p.id,
  name: p.name,
  role: p.role,
  disabled: p.disabled === 1,
  lockedUntil: p.locked_until,
});

export type SignInError = { code: 'forbidden' | 'locked' | 'not_found'; message: string };

const NO_KEY_WORDS =
  "This PIN cannot be checked on this computer: the key that protects the PINs is missing from its secret store (the keyring was reset, or the data was copied from another computer). Another supervisor can set a new PIN.";

/** What the counting transaction decided before the PIN is checked. */
type Claim = { kind: 'refused'; error: SignInError } | { kind: 'check'; person: PersonRow; attempt: number };

export class People {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly pins: PinHasher,
    private readonly log?: AppLog,
  ) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n;
  }

  supervisorCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM people WHERE role = 'supervisor' AND disabled = 0").get() as { n: number }).n;
  }

  private row(id: string): PersonRow | undefined {
    return this.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as PersonRow | undefined;
  }

  get(id: string): PersonSummary | null {
    const r = this.row(id);
    return r ? summary(r) : null;
  }

  list(): PersonSummary[] {
    return (this.db.prepare('SELECT * FROM people ORDER BY name').all() as PersonRow[]).map(summary);
  }

  /**
   * Names for the sign-in list: enabled people only, no roles (nothing to learn by looking).
   * With a role: only those (the supervisors who may confirm a manual entry, for a signed-in person).
   */
  signInNames(role?: Role): Array<{ id: string; name: string }> {
    return this.db
      .prepare('SELECT id, name FROM people WHERE disabled = 0 AND (? IS NULL OR role = ?) ORDER BY name')
      .all(role ?? null, role ?? null) as Array<{ id: string; name: string }>;
  }

  async add(
    input: { name: string; pin: string; role: Role },
    actor: string | null,
    now: Date,
  ): Promise<Result<PersonSummary, { code: 'conflict'; message: string }>> {
    const pinHash = await this.pins.hash(input.pin);
    return this.insert(input, pinHash, actor, now, false);
  }

  /**
   * The first supervisor of a new workstation. Two calls at once (two windows, a double click)
   * both hash a PIN, but the emptiness check and the insert are one transaction: one wins.
   */
  async createFirstSupervisor(input: { name: string; pin: string }, now: Date): Promise<Result<PersonSummary, { code: 'conflict'; message: string }>> {
    const pinHash = await this.pins.hash(input.pin);
    return this.insert({ ...input, role: 'supervisor' }, pinHash, null, now, true);
  }

  private insert(
    input: { name: string; role: Role },
    pinHash: string,
    actor: string | null,
    now: Date,
    onlyIfFirst: boolean,
  ): Result<PersonSummary, { code: 'conflict'; message: string }> {
    const id = randomUUID();
    const done = this.db.transaction((): Result<PersonSummary, { code: 'conflict'; message: string }> => {
      if (onlyIfFirst && this.count() > 0) return err({ code: 'conflict', message: 'The first supervisor already exists: sign in instead.' });
      if (this.db.prepare('SELECT 1 FROM people WHERE name = ? COLLATE NOCASE').get(input.name))
        return err({ code: 'conflict', message: `There is already a person called ${input.name}.` });
      this.db
        .prepare('INSERT INTO people (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, input.name, input.role, pinHash, now.toISOString());
      this.audit.append('person.added', actor, { personId: id, name: input.name, role: input.role }, now);
      return ok(this.get(id)!);
    }).immediate();
    return done;
  }

  async signIn(personId: string, pin: string, now: Date): Promise<Result<SessionInfo, SignInError>> {
    const key = await this.pins.ready();
    // 1. Count the attempt, or refuse it, in one transaction: nothing awaited in between.
    const claim = this.db.transaction((): Claim => {
      const p = this.row(personId);
      if (!p) return { kind: 'refused', error: { code: 'not_found', message: 'Choose your name from the list.' } };
      const refuse = (reason: string, error: SignInError): Claim => {
        this.audit.append('signin.failed', p.id, { reason }, now);
        return { kind: 'refused', error };
      };
      if (p.disabled) return refuse('disabled', { code: 'forbidden', message: 'This account is disabled. Ask a supervisor.' });
      if (p.locked_until && Date.parse(p.locked_until) > now.getTime())
        return refuse('locked', { code: 'locked', message: lockedMessage(p.locked_until, now) });
      if (!this.pins.canCheck(p.pin_hash, key)) return refuse('PIN key missing', { code: 'forbidden', message: NO_KEY_WORDS });
      if (p.failed_attempts >= MAX_FAILED_PINS) {
        // every allowed attempt is counted (being checked now, or lost to a crash): lock
        const until = new Date(now.getTime() + LOCKOUT_MS).toISOString();
        this.db.prepare('UPDATE people SET failed_attempts = 0, locked_until = ? WHERE id = ?').run(until, p.id);
        this.audit.append('signin.locked', p.id, { until }, now);
        return refuse('locked', { code: 'locked', message: lockedMessage(until, now) });
      }
      this.db.prepare('UPDATE people SET failed_attempts = failed_attempts + 1 WHERE id = ?').run(p.id);
      return { kind: 'check', person: p, attempt: p.failed_attempts + 1 };
    }).immediate();
    if (claim.kind === 'refused') return err(claim.error);
    const p = claim.person;

    // 2. Check the PIN (scrypt, awaited: other sign-ins run meanwhile).
    const checked = await this.pins.check(pin, p.pin_hash);

    if (checked !== 'good') {
      const lockedUntil = this.db.transaction((): string | null => {
        this.audit.append('signin.failed', p.id, { reason: checked === 'no_key' ? 'PIN key missing' : 'wrong PIN', attempt: claim.attempt }, now);
        const current = this.row(p.id)?.locked_until ?? null;
        if (current && Date.parse(current) > now.getTime()) return current; // locked meanwhile
        if (claim.attempt < MAX_FAILED_PINS) return null;
        const until = new Date(now.getTime() + LOCKOUT_MS).toISOString();
        this.db.prepare('UPDATE people SET failed_attempts = 0, locked_until = ? WHERE id = ?').run(until, p.id);
        this.audit.append('signin.locked', p.id, { until }, now);
        return until;
      }).immediate();
      if (checked === 'no_key') return err({ code: 'forbidden', message: NO_KEY_WORDS });
      if (lockedUntil) return err({ code: 'locked', message: lockedMessage(lockedUntil, now) });
      const left = MAX_FAILED_PINS - claim.attempt;
      return err({ code: 'forbidden', message: `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before the account locks for 5 minutes.` });
    }

    // 3. A good PIN: unless the person was disabled or given a new PIN meanwhile, signed in.
    const signedIn = this.db.transaction((): Result<SessionInfo, SignInError> => {
      const still = this.row(p.id);
      if (!still || still.disabled) return err({ code: 'forbidden', message: 'This account is disabled. Ask a supervisor.' });
      if (still.pin_hash !== p.pin_hash) return err({ code: 'forbidden', message: 'This PIN was changed a moment ago: sign in with the new PIN.' });
      this.db.prepare('UPDATE people SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(p.id);
      this.audit.append('signin.succeeded', p.id, { name: p.name, role: p.role }, now);
      return ok({ personId: p.id, name: p.name, role: p.role });
    }).immediate();
    if (signedIn.ok) await this.upgradeHash(p.id, pin, p.pin_hash);
    return signedIn;
  }

  /** An old format, a lower cost or another key: the PIN, known good now, is hashed again. */
  private async upgradeHash(personId: string, pin: string, old: string): Promise<void> {
    try {
      if (!(await this.pins.needsRehash(old))) return;
      const fresh = await this.pins.hash(pin);
      // only over the hash that was checked: a PIN reset meanwhile stays
      this.db.prepare('UPDATE people SET pin_hash = ? WHERE id = ? AND pin_hash = ?').run(fresh, personId, old);
    } catch (e) {
      this.log?.warn('a PIN hash could not be upgraded; it still works', { personId, error: (e as Error).message });
    }
  }

  setDisabled(personId: string, disabled: boolean, actor: string, now: Date): Result<PersonSummary, { code: 'not_found' | 'conflict'; message: string }> {
    const p = this.row(personId);
    if (!p) return err({ code: 'not_found', message: 'No such person.' });
    if (disabled && p.role === 'supervisor' && !p.disabled && this.supervisorCount() <= 1)
      return err({ code: 'conflict', message: 'This is the last supervisor: add another supervisor first.' });
    if (disabled && personId === actor) return err({ code: 'conflict', message: 'You cannot disable yourself.' });
    this.db.transaction(() => {
      this.db.prepare('UPDATE people SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, personId);
      this.audit.append('person.disabled', actor, { personId, disabled }, now);
    }).immediate();
    return ok(this.get(personId)!);
  }

  /**
   * A supervisor gives a person a new PIN (which also lifts a lock). Never one's own: a
   * supervisor's PIN is reset by another supervisor, so a PIN seen over a shoulder cannot be
   * turned into a new one without a second person. Audited with both names.
   */
  async resetPin(
    personId: string,
    pin: string,
    actor: string,
    now: Date,
  ): Promise<Result<PersonSummary, { code: 'not_found' | 'forbidden'; message: string }>> {
    const target = this.row(personId);
    if (!target) return err({ code: 'not_found', message: 'No such person.' });
    if (personId === actor) return err({ code: 'forbidden', message: 'You cannot reset your own PIN: another supervisor must do it.' });
    const by = this.row(actor);
    if (!by || by.role !== 'supervisor' || by.disabled) return err({ code: 'forbidden', message: 'Only a supervisor may reset a PIN.' });
    const pinHash = await this.pins.hash(pin);
    this.db.transaction(() => {
      this.db.prepare('UPDATE people SET pin_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?').run(pinHash, personId);
      this.audit.append(
        'person.pin_reset',
        actor,
        { personId, name: target.name, role: target.role, resetById: by.id, resetBy: by.name },
        now,
      );
    }).immediate();
    return ok(this.get(personId)!);
  }
}

function lockedMessage(until: string, now: Date): string {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60000));
  return `Too many wrong PINs. This account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}, or until a supervisor resets the PIN.`;
}

/** People with their PIN hasher: the given cost (tests) or production's, the key from the secret store. */
export function createPeople(deps: { db: Db; audit: AuditLog; secretStore: SecretStore; log: AppLog; pinCost?: PinCost | undefined }): People {
  const { db, log } = deps;
  const hashes = () => (db.prepare('SELECT pin_hash FROM people').all() as Array<{ pin_hash: string }>).map((r) => r.pin_hash);
  const pins = new PinHasher(deps.pinCost ?? PRODUCTION_PIN_COST, () => loadPinKey(deps.secretStore, () => keyIdsOf(hashes()), log));
  return new People(db, deps.audit, pins, log);
}
