// The workstation's HTTP client of the central server (contracts.md §3). Every answer is
// parsed with the shared protocol schemas. Only the server's own word is final: a 2xx that
// matches the protocol, or a problem+json whose `error` server-words.ts names for the request.
// Everything else — a proxy's page, a 4xx or 5xx without such a word, 413, a reset, a timeout,
// a certificate that does not fit — is a transport failure, retried by the sync engine and
// never recorded against an item. Each request also carries the desk's clock (x-desk-clock)
// and reports the server's Date header, so the engine can compare the two clocks.
import type { z } from 'zod';
import { problem as problemSchema } from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';
import { describeForeignAnswer, describeNoAnswer } from './answer-words';
import { fetchFor, type Fetch } from './pinned-tls';
import { isFinalWord, UNAUTHORIZED, type CentralRequest } from '../../../../shared/protocol/final-words';

export type TransportCause =
  /** no answer: refused, reset, timed out, DNS, TLS, a redirect */
  | 'no_answer'
  /** an answer that is not the server's: an HTML page, another content type, an empty body */
  | 'foreign_answer'
  /** the server's problem+json, but not a word the contract names for this request (5xx, 429, …) */
  | 'server_trouble'
  /** 413: too large for something on the way (or for the server); a batch may be split */
  | 'too_large'
  /** a 2xx whose body does not match the protocol */
  | 'unreadable';

export type CentralFailure =
  /** the server's own final word on this request (server-words.ts) */
  | { kind: 'final'; status: number; error: string; message: string }
  /** 401 with the server's own problem: the token is unknown or revoked */
  | { kind: 'unauthorized'; message: string }
  /** anything else: retried with backoff; `message` is words for people */
  | { kind: 'transport'; cause: TransportCause; status: number | null; message: string };

/** One reading of the server's clock: its Date header against the desk's clock around the request. */
export interface ClockSample {
  /** the desk's clock (ms) when the request was sent */
  deskSentMs: number;
  /** how long the request took (a monotonic clock, ms) */
  durationMs: number;
  /** the server's Date header (ms; whole seconds) */
  serverDateMs: number;
}

export interface CentralClientOptions {
  baseUrl: string;
  /** the device token; absent for enrolment */
  token?: string;
  timeoutMs?: number;
  /** aborts every request in flight (the app is closing) */
  signal?: AbortSignal;
  /** the desk's clock, sent as x-desk-clock on every request (the app core's `now`) */
  clock?: () => Date;
  /** called with each answer's Date header */
  onClockSample?: (sample: ClockSample) => void;
  /** the server key pinned at enrolment (https); a connection to any other key is cut unused */
  serverKey?: string | null;
  /** enrolment only: any key is taken and reported here, for the desk to pin */
  onServerKey?: (fingerprint: string) => void;
}

/** 127.0.0.0/8, ::1 and localhost: the only places plain http may go (tests, a server on this computer). */
function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const PLAIN_HTTP =
  'The server address must start with https://: over plain http:// the desk\'s token and every envelope it sends could be read by anyone on the network (http:// is allowed only to this computer).';

/** Only http(s) addresses, without credentials, query or fragment; no trailing slash. */
export function normaliseServerUrl(raw: string): Result<string, string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return err('The server address is not a web address (it should look like https://intake.example.org).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return err('The server address must start with https://.');
  if (url.protocol === 'http:' && !isLoopback(url)) return err(PLAIN_HTTP);
  if (url.username || url.password) return err('The server address must not contain a user name or password.');
  if (url.search || url.hash) return err('The server address must not contain ? or #.');
  return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`);
}

const UNREACHABLE = 'the central server could not be reached: ';

/** The words after "the central server could not be reached: ", for those who say that themselves (the statement). */
export function bareReason(e: CentralFailure): string {
  return e.message.startsWith(UNREACHABLE) ? e.message.slice(UNREACHABLE.length) : e.message;
}

function isProblemJson(contentType: string | null): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/problem+json';
}

/** The server's problem+json, or null when the body is something else. */
function serverProblem(contentType: string | null, text: string): { detail: string; error: string | undefined } | null {
  if (!isProblemJson(contentType)) return null;
  try {
    const p = problemSchema.safeParse(JSON.parse(text));
    return p.success ? { detail: p.data.detail, error: p.data.error } : null;
  } catch {
    return null;
  }
}

/** How a failed answer is taken (exported for tests): the server's final word, 401, or a transport failure. */
export function classifyFailure(request: CentralRequest, status: number, contentType: string | null, text: string): CentralFailure {
  const p = serverProblem(contentType, text);
  if (status === 413) {
    const by = p ? 'the central server' : 'something on the way';
    return { kind: 'transport', cause: 'too_large', status, message: `the request was too large for ${by} (HTTP 413)` };
  }
  if (!p) return { kind: 'transport', cause: 'foreign_answer', status, message: UNREACHABLE + describeForeignAnswer(status, contentType) };
  if (status === UNAUTHORIZED.status && p.error === UNAUTHORIZED.error) return { kind: 'unauthorized', message: p.detail };
  if (isFinalWord(request, status, p.error)) return { kind: 'final', status, error: p.error!, message: p.detail };
  const trouble = status >= 500 || status === 429 || status === 408 ? 'the central server is having trouble' : 'the central server did not take the request';
  return { kind: 'transport', cause: 'server_trouble', status, message: `${trouble} (HTTP ${status}: ${p.detail})` };
}

export class CentralClient {
  private readonly transport: { fetch: Fetch; close(): Promise<void> };
  /** set when the address is plain http to another computer (a desk enrolled before https was required) */
  private readonly refusal: string | null;

  constructor(private readonly options: CentralClientOptions) {
    const url = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : null;
    this.refusal = url && url.protocol === 'http:' && !isLoopback(url) ? `${PLAIN_HTTP} Nothing was sent: enrol this desk again with the server's https:// address.` : null;
    this.transport = fetchFor(options.baseUrl, {
      expected: options.serverKey ?? null,
      ...(options.onServerKey ? { onSeen: options.onServerKey } : {}),
    });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Closes the connections of a client made for one task (enrolment). */
  close(): Promise<void> {
    return this.transport.close();
  }

  async request<S extends z.ZodType>(
    request: CentralRequest,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<Result<z.output<S>, CentralFailure>> {
    if (this.refusal) return err({ kind: 'transport', cause: 'no_answer', status: null, message: this.refusal });
    const deskNow = (this.options.clock ?? (() => new Date()))();
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'x-desk-clock': deskNow.toISOString() };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    const started = performance.now();
    let status: number;
    let contentType: string | null;
    let text: string;
    try {
      const res = await this.transport.fetch(this.options.baseUrl + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal,
        redirect: 'error',
      });
      const headersAt = performance.now();
      status = res.status;
      contentType = res.headers.get('content-type');
      const date = res.headers.get('date');
      const serverDateMs = date ? Date.parse(date) : NaN;
      if (this.options.onClockSample && Number.isFinite(serverDateMs)) {
        // up to the headers: the Date header was written then, whatever the body's size
        this.options.onClockSample({ deskSentMs: deskNow.getTime(), durationMs: headersAt - started, serverDateMs });
      }
      // a body cut mid-way (a reset) throws here: no answer, whatever the status said
      text = await res.text();
    } catch (e) {
      return err({ kind: 'transport', cause: 'no_answer', status: null, message: UNREACHABLE + describeNoAnswer(e) });
    }
    if (status >= 200 && status < 300) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return err({ kind: 'transport', cause: 'foreign_answer', status, message: UNREACHABLE + describeForeignAnswer(status, contentType) });
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) return err({ kind: 'transport', cause: 'unreadable', status, message: `the central server's answer to ${path.split('?')[0]} does not match the protocol` });
      return ok(parsed.data);
    }
    return err(classifyFailure(request, status, contentType, text));
  }
}
