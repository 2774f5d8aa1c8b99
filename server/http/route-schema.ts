// What a route declares about itself, and how Fastify uses it: the request schemas (the shared
// zod schemas of shared/protocol) are checked by the validator compiler below, with the same
// words as problem.ts `validate`; the response schemas only describe the answers for the
// OpenAPI document (openapi.ts) — answers are written with JSON.stringify, never reshaped, so
// the desk reads exactly what the handler built.
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/protocol/central-api';
import { problemTitle, validate } from './problem';

/** A refused request part, thrown to the error handler as the problem `invalid_request`. */
export class InvalidRequest extends Error {
  readonly statusCode = 400;
}

const PART_WORDS: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

/** Schemas that describe a request part for the document but are not checked (the register's CSV stream). */
const DOCUMENTED_ONLY = new WeakSet<object>();
export function documentedOnly<S extends z.ZodType>(schema: S): S {
  DOCUMENTED_ONLY.add(schema);
  return schema;
}

/** A body that may be left out (admin calls without parameters): absent or null reads as `{}`. */
export const absentIsEmpty = <S extends z.ZodType>(schema: S) => z.preprocess((v) => v ?? {}, schema);

/** The body of a request that sent none (set by app.ts's preValidation hook; see there). */
export const NO_BODY: unique symbol = Symbol('no body');

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  if (DOCUMENTED_ONLY.has(schema)) return () => true;
  const what = PART_WORDS[httpPart ?? 'body'] ?? 'body';
  return (data) => {
    const r = validate(schema, data === NO_BODY ? undefined : data, what);
    if (r.ok) return { value: r.value };
    return { error: new InvalidRequest(r.error.detail) };
  };
};

/** Answers as the handler built them (see the opening comment). */
export const serializerCompiler: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

/** The problem answers a route can give (RFC 9457), for the document. */
export function problems(...statuses: number[]): Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problem } } }> {
  return Object.fromEntries(statuses.map((s) => [s, { description: problemTitle(s), content: { 'application/problem+json': { schema: problem } } }]));
}
