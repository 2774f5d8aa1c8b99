// Who is calling: the bearer token is hashed and looked up on every request (no cache), so a
// revoked device is refused at once by every server process. Missing or unknown → 401;
// a valid token of the wrong kind → 403 (contracts.md §3). Each route declares who may call
// it in its options (`config: { audience }`); a route that declares none is refused when it
// is registered, so no route can be open by omission.
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { Db } from '../db/db';
import { err, ok, type Result } from '../../shared/result';
import { hashToken, tokenIdOf, type TokenKind } from '../security/tokens';
import { refuse, type Refusal } from './problem';

export interface DevicePrincipal {
  kind: 'device';
  deviceId: string;
  centreId: string;
  centreName: string;
  electionNumber: number;
}
/** `tokenId` names the admin token in admin_events (security/tokens.ts tokenIdOf), never the token. */
export interface AdminPrincipal {
  kind: 'admin';
  tokenId: string;
}
export type Principal = DevicePrincipal | { kind: 'integration' } | AdminPrincipal;

/** Who may call a route (contracts.md §3): a token kind, or anyone. */
export const AUDIENCES = ['device', 'integration', 'admin', 'none'] as const;
export type Audience = (typeof AUDIENCES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** required on every route: checked at registration (requireAudience), enforced by the onRequest hook */
    audience?: Audience;
  }
  interface FastifyRequest {
    /** set by the onRequest hook on every route whose audience is not 'none' */
    principal: Principal | null;
  }
}

const isAudience = (a: unknown): a is Audience => (AUDIENCES as readonly unknown[]).includes(a);

/** The route's declared audience; undefined when it declares none (or an unknown one). */
export function audienceOf(route: { config?: unknown }): Audience | undefined {
  const a = (route.config as { audience?: unknown } | undefined)?.audience;
  return isAudience(a) ? a : undefined;
}

/** The onRoute check: a route without a declared audience is a programming error, refused loudly. */
export function requireAudience(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): Audience {
  const audience = audienceOf(route);
  if (audience === undefined)
    throw new Error(`${[route.method].flat().join(',')} ${route.url} declares no audience: give it config.audience (${AUDIENCES.join(', ')})`);
  return audience;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

interface TokenRow {
  kind: TokenKind;
  device_id: string | null;
  centre_id: string | null;
  centre_name: string | null;
  election_number: number | null;
}

/**
 * The onRequest hook's check: runs before the body is read, so a request without a valid token
 * is answered 401/403 without the server ever parsing (or waiting for) what it sent. The caller
 * is kept on the request (`request.principal`) for the handler.
 */
export async function authenticateRoute(db: Db, request: FastifyRequest): Promise<Refusal | null> {
  if (request.routeOptions.url === undefined) return null; // no route: the not-found handler answers
  const audience = audienceOf(request.routeOptions);
  // Unreachable (registration refuses such a route), but never open by accident.
  if (audience === undefined) return refuse(500, 'the route declares no audience', 'internal');
  if (audience === 'none') return null;
  const r = await lookUp(db, request, audience);
  if (!r.ok) return r.error;
  request.principal = r.value;
  return null;
}

/** The caller the hook authenticated, of the kind the route declared. */
export function principalOf<K extends Principal['kind']>(request: FastifyRequest, kind: K): Extract<Principal, { kind: K }> {
  const p = request.principal;
  // A handler asking for a kind its route does not declare is a programming error.
  if (!p || p.kind !== kind) throw new Error(`${request.method} ${request.routeOptions.url} wants a ${kind} caller; its audience is ${audienceOf(request.routeOptions)}`);
  return p as Extract<Principal, { kind: K }>;
}

async function lookUp(db: Db, request: FastifyRequest, allowed: Principal['kind']): Promise<Result<Principal, Refusal>> {
  const header = request.headers.authorization;
  if (!header) return err(refuse(401, 'an Authorization: Bearer token is required', 'unauthorized'));
  const m = BEARER.exec(header);
  if (!m) return err(refuse(401, 'the Authorization header is not a bearer token', 'unauthorized'));
  // The hash is the lookup key, so timing reveals nothing about stored tokens.
  const tokenHash = hashToken(m[1]!);
  const { rows } = await db.query<TokenRow>(
    `select t.kind, d.device_id, c.centre_id, c.name as centre_name, c.election_number
       from access_tokens t
       left join devices d on d.device_id = t.device_id
       left join centres c on c.centre_id = d.centre_id
      where t.token_hash = $1 and t.revoked_at is null and d.revoked_at is null`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return err(refuse(401, 'the token is unknown or has been revoked', 'unauthorized'));
  if (row.kind !== allowed) return err(refuse(403, `a ${row.kind} token cannot be used here`, 'forbidden'));
  if (row.kind === 'device')
    return ok({ kind: 'device', deviceId: row.device_id!, centreId: row.centre_id!, centreName: row.centre_name!, electionNumber: row.election_number! });
  if (row.kind === 'admin') return ok({ kind: 'admin', tokenId: tokenIdOf(tokenHash) });
  return ok({ kind: 'integration' });
}
