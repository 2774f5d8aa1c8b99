// Errors as RFC 9457 problem details (application/problem+json), and request validation
// with the shared zod schemas: a request that does not match — unknown fields included —
// is refused whole with 400 before any handler logic runs (route-schema.ts runs it for
// every schema a route declares).
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { err, ok, type Result } from '../../shared/result';
import type { Problem } from '../../shared/protocol/central-api';
import type { ProblemWord } from '../../shared/protocol/problem-words';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** A refusal a handler returns as a value; `error` is the machine word of contracts.md §3. */
export interface Refusal {
  status: number;
  detail: string;
  error?: ProblemWord;
  errors?: Array<{ line: number; message: string }>;
}

export const problemTitle = (status: number): string => TITLES[status] ?? 'Error';

export const refuse = (status: number, detail: string, error?: ProblemWord): Refusal => ({ status, detail, ...(error ? { error } : {}) });

export function problemOf(r: Refusal): Problem {
  return {
    type: r.error ? `urn:ballot-intake:problem:${r.error}` : 'about:blank',
    title: problemTitle(r.status),
    status: r.status,
    detail: r.detail,
    ...(r.error ? { error: r.error } : {}),
    ...(r.errors ? { errors: r.errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, r: Refusal): FastifyReply {
  return reply.code(r.status).type('application/problem+json').send(problemOf(r));
}

/** Validate `input` against a request schema, with the reasons a client developer needs. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): Result<z.output<S>, Refusal> {
  const r = schema.safeParse(input);
  if (r.success) return ok(r.data);
  const reasons = r.error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : what}: ${i.message}`)
    .join('; ');
  return err(refuse(400, `invalid request ${what}: ${reasons}`, 'invalid_request'));
}
