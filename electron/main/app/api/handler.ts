// The shape of the operation map the core implements: one handler per contract operation,
// taking the parsed input and returning a Result.
import type { ApiResult, OperationName, ParsedInput } from '../../../../shared/api/contract';

export interface HandlerContext {
  now: Date;
}

export type Handler<K extends OperationName> = (input: ParsedInput<K>, ctx: HandlerContext) => Promise<ApiResult<K>> | ApiResult<K>;

export type Handlers = { [K in OperationName]: Handler<K> };
export type SomeHandlers<K extends OperationName> = { [P in K]: Handler<P> };
