// The workstation's HTTP client of the central server (contracts.md §3). Every answer is
// parsed with the shared protocol schemas, and every failure becomes a typed transport error
// that the sync engine turns into backoff, a per-item refusal, or a stop (401), and into words.
import type { z } from 'zod';
import { problem as problemSchema } from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';

export type TransportError =
  /** no answer: refused, reset, timed out, DNS */
  | { kind: 'network'; message: string }
  /** the server answered 5xx or 429: try again later */
  | { kind: 'server'; status: number; message: string }
  /** 401: the token is unknown or revoked */
  | { kind: 'unauthorized'; message: string }
  /** any other 4xx: this request will not succeed as it is */
  | { kind: 'refused'; status: number; error: string | null; message: string }
  /** a 2xx whose body does not match the protocol */
  | { kind: 'invalid_response'; message: string };

export interface CentralClientOptions {
  baseUrl: string;
  /** the device token; absent for enrolment */
  token?: string;
  timeoutMs?: number;
  /** aborts every request in flight (the app is closing) */
  signal?: AbortSignal;
}

/** Only http(s) addresses, without credentials, query or fragment; no trailing slash. */
export function normaliseServerUrl(raw: string): Result<string, string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return err('The server address is not a web address (it should look like https://intake.example.org).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return err('The server address must start with https:// or http://.');
  if (url.username || url.password) return err('The server address must not contain a user name or password.');
  if (url.search || url.hash) return err('The server address must not contain ? or #.');
  return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
}

function describeNetworkError(e: unknown): string {
  const error = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError') return 'the server did not answer in time';
  if (error.name === 'AbortError') return 'the request was stopped';
  const code = error.cause?.code;
  if (code === 'ECONNREFUSED') return 'the server refused the connection (is it running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the server name could not be found (no network?)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was cut';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'the connection timed out';
  return error.cause?.message ?? error.message ?? String(e);
}

export class CentralClient {
  constructor(private readonly options: CentralClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<Result<z.output<S>, TransportError>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.options.baseUrl + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal,
        redirect: 'error',
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      return err({ kind: 'network', message: describeNetworkError(e) });
    }
    if (status >= 200 && status < 300) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return err({ kind: 'invalid_response', message: `the server's answer to ${path} is not JSON` });
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) return err({ kind: 'invalid_response', message: `the server's answer to ${path} does not match the protocol` });
      return ok(parsed.data);
    }
    let detail: string | null = null;
    let code: string | null = null;
    try {
      const p = problemSchema.safeParse(JSON.parse(text));
      if (p.success) {
        detail = p.data.detail;
        code = p.data.error ?? null;
      }
    } catch {
      /* a proxy's HTML error page: the status says enough */
    }
    const message = detail ?? `HTTP ${status}`;
    if (status === 401) return err({ kind: 'unauthorized', message });
    if (status >= 500 || status === 429 || status === 408) return err({ kind: 'server', status, message });
    return err({ kind: 'refused', status, error: code, message });
  }
}
