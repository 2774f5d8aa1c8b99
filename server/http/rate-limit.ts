// The per-client-address enrolment limit (enrolment codes must not be guessable by trying),
// with @fastify/rate-limit: 429 in words with Retry-After. Kept in process memory: with N
// server processes an address gets at most N× the limit, which still makes guessing a 60-bit
// code hopeless. Behind a reverse proxy, the client's address is the one the proxy forwards,
// but only from the proxies named by `--trust-proxy` (else every desk would share the proxy's
// bucket, and anyone could choose their own bucket with a forged X-Forwarded-For).
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

export const ENROL_RATE_LIMITED = 'rate_limited';

/** Registers the plugin for routes that ask for it in their `config.rateLimit`; none by default. */
export async function registerRateLimit(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    // Thrown to the server's error handler, which answers it as a problem in words.
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: ENROL_RATE_LIMITED,
      message: `too many enrolment attempts from this address; try again in ${context.after}`,
    }),
  });
}

/** The route option of an attempt-limited route: `perMinute` tries per client address. */
export function perAddressPerMinute(perMinute: number) {
  return { rateLimit: { max: perMinute, timeWindow: 60_000, keyGenerator: (request: { ip: string }) => request.ip } };
}
