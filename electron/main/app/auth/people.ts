// People who work at this workstation: operators and supervisors, their PINs, lockout.
import { randomUUID } from 'node:crypto';
import type { PersonSummary, SessionInfo } from '../../../../shared/api/types';
import type { Role } from '../../../../shared/domain';
import { err, ok, type Result } from '../../../../shared/result';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import { hashPin, verifyPin } from './pin';

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

export class People {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
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

  /** Names for the sign-in list: enabled people only, no roles (nothing to learn by looking). */
  signInNames(): Array<{ id: string; name: string }> {
    return this.db.prepare('SELECT id, name FROM people WHERE disabled = 0 ORDER BY name').all() as Array<{ id: string; name: string }>;
  }

  async add(
    input: { name: string; pin: string; role: Role },
    actor: string | null,
    now: Date,
  ): Promise<Result<PersonSummary, { code: 'conflict'; message: string }>> {
    const pinHash = await hashPin(input.pin);
    const exists = this.db.prepare('SELECT 1 FROM people WHERE name = ? COLLATE NOCASE').get(input.name);
    if (exists) return err({ code: 'conflict', message: `There is already a person called ${input.name}.` });
    const id = randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO people (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, input.name, input.role, pinHash, now.toISOString());
      this.audit.append('person.added', actor, { personId: id, name: input.name, role: input.role }, now);
    }).immediate();
    return ok(this.get(id)!);
  }

  async signIn(personId: string, pin: string, now: Date): Promise<Result<SessionInfo, SignInError>> {
    const p = this.row(personId);
    if (!p) return err({ code: 'not_found', message: 'Choose your name from the list.' });
    if (p.disabled) {
      this.audit.append('signin.failed', p.id, { reason: 'disabled' }, now);
      return err({ code: 'forbidden', message: 'This account is disabled. Ask a supervisor.' });
    }
    if (p.locked_until && Date.parse(p.locked_until) > now.getTime()) {
      this.audit.append('signin.failed', p.id, { reason: 'locked' }, now);
      return err({ code: 'locked', message: lockedMessage(p.locked_until, now) });
    }
    const good = await verifyPin(pin, p.pin_hash);
    if (!good) {
      const failed = p.failed_attempts + 1;
      const locks = failed >= MAX_FAILED_PINS;
      const lockedUntil = locks ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : null;
      this.db.transaction(() => {
        this.db
          .prepare('UPDATE people SET failed_attempts = ?, locked_until = ? WHERE id = ?')
          .run(locks ? 0 : failed, lockedUntil, p.id);
        this.audit.append('signin.failed', p.id, { reason: 'wrong PIN', attempt: failed }, now);
        if (locks) this.audit.append('signin.locked', p.id, { until: lockedUntil }, now);
      }).immediate();
      if (locks) return err({ code: 'locked', message: lockedMessage(lockedUntil!, now) });
      const left = MAX_FAILED_PINS - failed;
      return err({ code: 'forbidden', message: `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before the account locks for 5 minutes.` });
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE people SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(p.id);
      this.audit.append('signin.succeeded', p.id, { name: p.name, role: p.role }, now);
    }).immediate();
    return ok({ personId: p.id, name: p.name, role: p.role });
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

  async resetPin(personId: string, pin: string, actor: string, now: Date): Promise<Result<PersonSummary, { code: 'not_found'; message: string }>> {
    if (!this.row(personId)) return err({ code: 'not_found', message: 'No such person.' });
    const pinHash = await hashPin(pin);
    this.db.transaction(() => {
      this.db.prepare('UPDATE people SET pin_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?').run(pinHash, personId);
      this.audit.append('person.pin_reset', actor, { personId }, now);
    }).immediate();
    return ok(this.get(personId)!);
  }
}

function lockedMessage(until: string, now: Date): string {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60000));
  return `Too many wrong PINs. This account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}, or until a supervisor resets the PIN.`;
}
