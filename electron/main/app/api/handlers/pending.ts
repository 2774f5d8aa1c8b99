// Operations of the contract whose implementation lands with a later issue (register import,
// flag review, audit search, exports, dashboard, sync). They answer honestly that the
// feature is not available yet instead of pretending to work.
import { err } from '../../../../../shared/result';
import type { OperationName } from '../../../../../shared/api/contract';
import type { SomeHandlers } from '../handler';

export type PendingOperation = 'dashboard';

export function pendingHandlers(names: readonly PendingOperation[]): SomeHandlers<PendingOperation> {
  const notYet = (name: OperationName) => () => err({ code: 'unavailable' as const, message: `${name} is not available in this version yet.` });
  return Object.fromEntries(names.map((n) => [n, notYet(n)])) as unknown as SomeHandlers<PendingOperation>;
}
