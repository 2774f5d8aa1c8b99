// The central server as a Fastify instance over a migrated database. cli.ts runs it; tests
// and the demo build it in-process. Requests are validated with the shared zod schemas in
// the handlers (not Fastify's own schema compiler), so the same schemas make the OpenAPI
// document and refuse unknown fields.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Db } from './db/db';
import { migrate } from './db/migrations';
import type { ServerContext } from './context';
import { authenticateRoute } from './http/auth';
import { createMetrics, type ServerMetrics } from './http/metrics';
import { refuse, sendProblem } from './http/problem';
import { certificateKeyFingerprint } from '../shared/security/key-fingerprint-node';
import { ENROL_RATE_LIMITED, registerRateLimit } from './http/rate-limit';
import { adminRoutes } from './routes/admin';
import { centreRoutes } from './routes/centre';
import { onlineVotingRoutes } from './routes/online-voting';
import { operationsRoutes } from './routes/operations';
import { workstationRoutes } from './routes/workstation';
import { onlineCodeHasher } from './security/tokens';

export interface CentralServerOptions {
  db: Db;
  /** keys the online-code HMAC (security/server-secret.ts) */
  secret: Buffer;
  /** pino options, or false for silence (tests) */
  logger?: FastifyServerOptions['logger'];
  now?: () => Date;
  enrolmentCodeMinutes?: number;
  enrolAttemptsPerMinute?: number;
  /** GET /v1/centre/summary reads a centre at most once per window (default 5 s) */
  centreSummaryWindowMs?: number;
  /**
   * The reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges, for
   * the per-address enrolment limit); none by default: the connection's address counts.
   */
  trustProxy?: string[];
  /** HTTPS with this certificate and key (`--tls-cert`, `--tls-key`); plain HTTP without */
  tls?: { cert: Buffer; key: Buffer };
  /** false when `/metrics` is served on a listener of its own (`--metrics-port`) */
  metricsOnApi?: boolean;
  /** tests shorten it; production keeps contracts.md §3's 30 s */
  headersTimeoutMs?: number;
}

export interface CentralServer {
  app: FastifyInstance;
  metrics: ServerMetrics;
  /** every route registered (method and path), so tests can hold the OpenAPI document to it */
  routes: Array<{ method: string; url: string }>;
}

// Never in a log line: bearer tokens, enrolment codes, online codes. Bodies are not logged
// at all; these paths also cover anything a handler might log by mistake.
export const LOG_REDACT = {
  paths: [
    'req.headers.authorization',
    'headers.authorization',
    'authorization',
    'token',
    'code',
    'enrolmentCode',
    'onlineCode',
    'body',
    'req.body',
    '*.token',
    '*.code',
    '*.enrolmentCode',
    '*.onlineCode',
  ],
  censor: '[redacted]',
};

/** contracts.md §3: bodies over 1 MB on workstation (and every JSON) route get 413. */
const JSON_BODY_LIMIT = 1024 * 1024;
/** A request whose headers have not all arrived by then is closed (slow-loris). */
const HEADERS_TIMEOUT_MS = 30_000;
/** A connection with nothing to read or write for this long is closed; the register import lifts it for itself. */
const IDLE_CONNECTION_MS = 120_000;

const CONTROL_IN_URL = /[\u0000-\u001f\u007f]/;
function decodedUrl(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url; // not decodable at all: the router will not match it either
  }
}

export async function createCentralServer(options: CentralServerOptions): Promise<CentralServer> {
  await migrate(options.db);
  const metrics = createMetrics();
  const ctx: ServerContext = {
    db: options.db,
    hashCode: onlineCodeHasher(options.secret),
    metrics,
    now: options.now ?? (() => new Date()),
    enrolmentCodeMinutes: options.enrolmentCodeMinutes ?? 24 * 60,
    enrolAttemptsPerMinute: options.enrolAttemptsPerMinute ?? 20,
    centreSummaryWindowMs: options.centreSummaryWindowMs ?? 5_000,
    serverKey: options.tls ? certificateKeyFingerprint(options.tls.cert) : null,
  };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? options.trustProxy : false,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    connectionTimeout: IDLE_CONNECTION_MS,
    keepAliveTimeout: 10_000,
    // Node checks the headers timeout on this interval; its default (30 s) would let a slow
    // client hold its socket for up to twice the timeout.
    http: { headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
  } as FastifyServerOptions);

  // Authentication before the body is read (contracts.md §3): an unknown token gets 401 whatever it sent.
  app.addHook('onRequest', async (request, reply) => {
    // A control character in the address (a %00 in a path parameter) names nothing; PostgreSQL
    // would refuse it as text, so it is refused here, in words.
    if (CONTROL_IN_URL.test(decodedUrl(request.url))) return sendProblem(reply, refuse(400, 'the address contains a control character', 'invalid_request'));
    const refusal = await authenticateRoute(options.db, request);
    if (refusal) return sendProblem(reply, refusal);
  });

  // JSON, with an empty body read as "no body" (admin calls without parameters).
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    defaultJson(request, body as string, done);
  });
  // The register arrives as a stream and is read row by row by the import (no body limit).
  app.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) => done(null, payload));

  app.addHook('onResponse', async (request, reply) => {
    metrics.requestSeconds.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, refuse(404, `no route ${request.method} ${request.url.split('?')[0]}`, 'not_found')));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, refuse(500, 'the server could not complete the request', 'internal'));
    }
    const word = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? ENROL_RATE_LIMITED : 'invalid_request';
    return sendProblem(reply, refuse(status, error.message, word));
  });

  const routes: CentralServer['routes'] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  await registerRateLimit(app);
  workstationRoutes(app, ctx);
  centreRoutes(app, ctx);
  onlineVotingRoutes(app, ctx);
  adminRoutes(app, ctx);
  operationsRoutes(app, ctx, { metrics: options.metricsOnApi ?? true });
  return { app, metrics, routes };
}
