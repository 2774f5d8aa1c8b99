// Opening a tray while the desk's clock is over 10 minutes off the central server's: every scan
// in it is stamped with that clock (late_return, the tray's times, the statement), so a
// supervisor confirms first, with their name and PIN in the open-batch dialog. The PIN is
// checked as at sign-in (wrong PINs count towards the lock-out); the confirmation is audited
// with the tray it opened (batch.clock_confirmed).
import type { ApiError, BatchSummary } from '../../../../shared/api/types';
import { err, ok, type Result } from '../../../../shared/result';
import type { Core } from '../core';

export interface ClockConfirmation {
  supervisorId: string;
  pin: string;
}

/** Opens a tray, asking for a supervisor's confirmation when the clock is far off. */
export async function openTrayCheckingClock(
  core: Core,
  input: { label: string; expectedCount: number | null; clockConfirmation?: ClockConfirmation | undefined },
  actor: string,
  now: Date,
): Promise<Result<BatchSummary, ApiError>> {
  const clock = core.sync.clockCheck();
  if (!clock?.confirmTrays) return core.batches.open(input.label, input.expectedCount, actor, now);
  const words = `${clock.warning?.replace(/^t/, 'T') ?? "This computer's clock is far off the central server's"}`;
  const c = input.clockConfirmation;
  if (!c) {
    return err({
      code: 'confirmation_required',
      message: `${words}: scan times in this tray would be wrong. A supervisor must confirm with their name and PIN to open it (or correct the clock and sync again).`,
    });
  }
  const who = await core.people.signIn(c.supervisorId, c.pin, now);
  if (!who.ok) return err({ code: who.error.code === 'locked' ? 'locked' : 'forbidden', message: who.error.message });
  if (who.value.role !== 'supervisor') return err({ code: 'forbidden', message: `${who.value.name} is not a supervisor: a supervisor must confirm.` });
  const opened = core.batches.open(input.label, input.expectedCount, actor, now);
  if (!opened.ok) return opened;
  core.audit.append(
    'batch.clock_confirmed',
    who.value.personId,
    { batchId: opened.value.id, label: opened.value.label, skewMs: clock.skewMs, measuredAt: clock.measuredAt, words: clock.warning, openedBy: actor },
    now,
  );
  return ok(opened.value);
}
