// What one sync cycle's steps (push-receipts.ts, push-decisions.ts, pull.ts, witness.ts) share
// with the engine that runs them: the core, the outbox, whether the app is closing, and how to
// tell the screens. Each step returns a Result: its own expected failures are values.
import type { PushEvent } from '../../../../shared/api/types';
import { err, type Err } from '../../../../shared/result';
import type { SyncDeps } from './deps';
import type { CentralFailure } from './central-client';
import type { Outbox } from './outbox';

export type CycleError = CentralFailure | { kind: 'stopped'; message: string };

export interface CycleContext {
  core: SyncDeps;
  outbox: Outbox;
  /** the app is closing: stop at the next step */
  closed(): boolean;
  emit(event: PushEvent): void;
  /** pushes the sync status if it changed */
  emitStatus(): void;
  /** runs a synchronous step, noting the engine's longest hold of the main thread */
  timed<T>(fn: () => T): T;
}

export const stopped = (): Err<CycleError> => err({ kind: 'stopped', message: 'closing' });

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
