// Who is calling: the bearer token is hashed and looked up on every request (no cache), so a
// revoked device is refused at once by every server process. Missing or unknown → 401;
// a valid token of the wrong kind → 403 (contracts.md §3).
import type { FastifyRequest } from 'fastify';
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

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

interface TokenRow {
  kind: TokenKind;
  device_id: string | null;
  centre_id: string | null;
  centre_name: string | null;
  election_number: number | null;
}

/**
 * Who may call a route, by its path (contracts.md §3): the admin API, the online-voting
 * platform's redeem, the open routes, and every other /v1 route for workstations.
 */
export function audienceOf(routeUrl: string | undefined): Principal['kind'] | 'none' {
  if (routeUrl === undefined) return 'none'; // no route: the not-found handler answers
  if (routeUrl.startsWith('/v1/admin/')) return 'admin';
  if (routeUrl === '/v1/online-codes/redeem') return 'integration';
  if (routeUrl === '/v1/enrol' || routeUrl === '/v1/openapi.json' || !routeUrl.startsWith('/v1/')) return 'none';
  return 'device';
}

// The hook's answer for this request, so a handler asking again costs no second lookup.
const checked = new WeakMap<FastifyRequest, Result<Principal, Refusal>>();

/**
 * The onRequest hook's check: runs before the body is read, so a request without a valid token
 * is answered 401/403 without the server ever parsing (or waiting for) what it sent.
 */
export async function authenticateRoute(db: Db, request: FastifyRequest): Promise<Refusal | null> {
  const audience = audienceOf(request.routeOptions.url);
  if (audience === 'none') return null;
  const r = await lookUp(db, request, [audience]);
  checked.set(request, r);
  return r.ok ? null : r.error;
}

export async function authenticate<K extends Principal['kind']>(
  db: Db,
  request: FastifyRequest,
  allowed: readonly K[],
): Promise<Result<Extract<Principal, { kind: K }>, Refusal>> {
  const earlier = checked.get(request);
  if (earlier && (!earlier.ok || (allowed as readonly string[]).includes(earlier.value.kind)))
    return earlier as Result<Extract<Principal, { kind: K }>, Refusal>;
  return lookUp(db, request, allowed);
}

async function lookUp<K extends Principal['kind']>(
  db: Db,
  request: FastifyRequest,
  allowed: readonly K[],
): Promise<Result<Extract<Principal, { kind: K }>, Refusal>> {
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
  if (!(allowed as readonly string[]).includes(row.kind))
    return err(refuse(403, `a ${row.kind} token cannot be used here`, 'forbidden'));
  if (row.kind === 'device')
    return ok({
      kind: 'device',
      deviceId: row.device_id!,
      centreId: row.centre_id!,
      centreName: row.centre_name!,
      electionNumber: row.election_number!,
    } as Extract<Principal, { kind: K }>);
  if (row.kind === 'admin') return ok({ kind: 'admin', tokenId: tokenIdOf(tokenHash) } as Extract<Principal, { kind: K }>);
  return ok({ kind: row.kind } as Extract<Principal, { kind: K }>);
}
