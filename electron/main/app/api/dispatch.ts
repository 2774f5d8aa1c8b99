// One dispatcher for both transports: unknown operation → error; input validated with the
// operation's zod schema; the session's role checked against the operation's access; an
// idle session locked first. Handlers return Results; a throw is a bug, logged and
// reported in words without internals.
import { isOperationName, operations, type Access, type OperationName } from '../../../../shared/api/contract';
import { describeIssues } from '../../../../shared/api/issue-words';
import type { ApiError, SessionInfo } from '../../../../shared/api/types';
import { err, type Result } from '../../../../shared/result';
import type { Core } from '../core';
import type { Handlers } from './handler';

/** Validation problems in sentences (shared/api/issue-words.ts), never zod's internals. */
export { describeIssues };

export function accessAllows(access: Access, role: 'operator' | 'supervisor' | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  return access === 'signed_in' || role === 'supervisor';
}

export function createDispatcher(core: Core, handlers: Handlers) {
  return async function dispatch(name: string, input: unknown): Promise<Result<unknown, ApiError>> {
    if (!isOperationName(name)) return err({ code: 'invalid_input', message: `There is no operation called ${String(name).slice(0, 40)}.` });
    const op = operations[name];
    const parsed = op.input.safeParse(input ?? {});
    if (!parsed.success) return err({ code: 'invalid_input', message: describeIssues(parsed.error) });

    const now = core.now();
    const lockedOut = core.session.expireIfIdle(now);
    if (lockedOut) {
      core.audit.append('session.ended', lockedOut.personId, { reason: 'idle' }, now);
      core.emit({ type: 'sessionEnded', reason: 'idle' });
    }
    const session = core.session.info;
    if (!accessAllows(op.access, session?.role ?? null)) {
      return session
        ? err({ code: 'forbidden', message: 'Only a supervisor may do this.' })
        : err({ code: lockedOut ? 'locked' : 'not_signed_in', message: lockedOut ? 'The screen locked after being idle: sign in again.' : 'Sign in first.' });
    }
    if (session) core.session.touch(now);
    try {
      const handler = handlers[name as OperationName] as (input: unknown, ctx: { now: Date; session: SessionInfo | null }) => Promise<Result<unknown, ApiError>> | Result<unknown, ApiError>;
      return await handler(parsed.data, { now, session });
    } catch (e) {
      core.log.error('operation failed', { operation: name, error: (e as Error).stack ?? String(e) });
      return err({ code: 'failed', message: `Something went wrong (${name}). Nothing was recorded by it; the details are in the log.` });
    }
  };
}
