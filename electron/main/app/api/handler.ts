// The shape of the operation map the core implements: one handler per contract operation,
// taking the parsed input and returning a Result.
import type { ApiResult, OperationName, Operations, ParsedInput } from '../../../../shared/api/contract';
import type { SessionInfo } from '../../../../shared/api/types';

/**
 * What the dispatcher hands each handler besides its input: the time of the call and the
 * signed-in person — typed as always there for every operation that needs one (the dispatcher
 * checked the session's role before calling), so no handler reads the session and asserts it.
 */
export interface HandlerContext<K extends OperationName = OperationName> {
  now: Date;
  session: Operations[K]['access'] extends 'public' ? SessionInfo | null : SessionInfo;
}

export type Handler<K extends OperationName> = (input: ParsedInput<K>, ctx: HandlerContext<K>) => Promise<ApiResult<K>> | ApiResult<K>;

export type Handlers = { [K in OperationName]: Handler<K> };
export type SomeHandlers<K extends OperationName> = { [P in K]: Handler<P> };
