// The history checker's fault proxy: one in front of each server process. Unlike a random
// proxy, it does to each request exactly what the plan says (headers set by the runner, removed
// before forwarding), so faults are part of the seeded plan:
//   none            forwarded, the answer relayed
//   drop            the connection is closed; the server never sees the request
//   delay           forwarded after delayMs
//   reset_request   the server gets half the body and then a reset; the client a reset
//   reset_response  the server answers; the client gets half the answer, then a reset
//   twice           the same request delivered twice AT THE SAME TIME; the client gets one answer
//   bad502/bad503   the proxy answers 502/503 itself — after the server processed it, when
//                   forwardFirst is set
// A request to a server process that is down gets 502. Every answer made by the proxy carries
// `x-fault-proxy`, so the checker can tell it from the server's own 5xx. Every answer a server
// gave — relayed, hidden behind a 502, cut off, or the unseen twin of a duplicate — is reported
// to `record`: what the server said is part of the history even when the client never heard it.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ProxyFault } from './plan';

export const HEADER_ATTEMPT = 'x-history-attempt';
export const HEADER_FAULT = 'x-history-fault';
export const HEADER_DELAY = 'x-history-delay';
export const HEADER_FORWARD_FIRST = 'x-history-forward-first';
export const HEADER_PROXY_MADE = 'x-fault-proxy';

export interface UpstreamAnswer {
  /** the runner's attempt id (`op.attempt`) */
  attempt: string;
  /** null: the exchange failed (connection refused or reset, aborted on purpose) */
  status: number | null;
  text: string;
  startedAt: number;
  at: number;
  /** the client was given this answer */
  relayed: boolean;
  error?: string;
}

export interface HistoryProxy {
  url: string;
  /** where requests go; null while the server process is down (the proxy answers 502) */
  setTarget(url: string | null): void;
  counts: Record<ProxyFault | 'target_down', number>;
  /** resolves once no exchange with the server is in flight */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export async function startHistoryProxy(options: { record(answer: UpstreamAnswer): void; clock(): number }): Promise<HistoryProxy> {
  let target: URL | null = null;
  const counts: HistoryProxy['counts'] = { none: 0, drop: 0, delay: 0, reset_request: 0, reset_response: 0, twice: 0, bad502: 0, bad503: 0, target_down: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const sockets = new Set<Socket>();
  let inflight = 0;
  let waiters: Array<() => void> = [];
  const settle = (): void => {
    if (--inflight === 0) {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    }
  };

  const upstreamHeaders = (req: http.IncomingMessage, to: URL, length: number): http.OutgoingHttpHeaders => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && !k.startsWith('x-history-') && v !== undefined) headers[k] = v;
    headers.host = to.host;
    headers['content-length'] = String(length);
    return headers;
  };

  /** One exchange with the server; reported to the history whatever happens. */
  const forward = (req: http.IncomingMessage, body: Buffer, attempt: string, relayed: boolean): Promise<Exchange | null> => {
    const to = target;
    const startedAt = options.clock();
    if (!to) {
      options.record({ attempt, status: null, text: '', startedAt, at: startedAt, relayed: false, error: 'server down' });
      return Promise.resolve(null);
    }
    inflight++;
    return new Promise<Exchange | null>((resolve) => {
      const out = http.request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: upstreamHeaders(req, to, body.length), agent, timeout: 120_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const ex = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
            options.record({ attempt, status: ex.status, text: ex.body.toString('utf8'), startedAt, at: options.clock(), relayed });
            settle();
            resolve(ex);
          });
          res.on('error', (e) => fail(e));
        },
      );
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        options.record({ attempt, status: null, text: '', startedAt, at: options.clock(), relayed: false, error: e.message });
        settle();
        resolve(null);
      };
      out.on('timeout', () => out.destroy(new Error('upstream timeout')));
      out.on('error', fail);
      out.end(body);
    });
  };

  /** The server gets the headers and half the body, then a reset. */
  const forwardHalf = (req: http.IncomingMessage, body: Buffer, attempt: string): Promise<void> => {
    const to = target;
    const startedAt = options.clock();
    if (!to) return Promise.resolve();
    inflight++;
    return new Promise<void>((resolve) => {
      const out = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: upstreamHeaders(req, to, body.length), agent: false });
      let done = false;
      const finish = (status: number | null, text: string, error?: string): void => {
        if (done) return;
        done = true;
        options.record({ attempt, status, text, startedAt, at: options.clock(), relayed: false, ...(error ? { error } : {}) });
        settle();
        resolve();
      };
      // The server may answer before it notices (it should not: the body is incomplete).
      out.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', () => finish(null, '', 'reset mid-request'));
      });
      out.on('error', () => finish(null, '', 'reset mid-request'));
      out.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => {
        out.destroy();
        setTimeout(() => finish(null, '', 'reset mid-request'), 50);
      }, 20);
    });
  };

  const relay = (res: http.ServerResponse, ex: Exchange): void => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(ex.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers['content-length'] = String(ex.body.length);
    res.writeHead(ex.status, headers);
    res.end(ex.body);
  };

  const proxyAnswer = (res: http.ServerResponse, status: number, why: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = `<html><body>${status} from the history proxy (${why})</body></html>`;
    res.writeHead(status, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(body)), [HEADER_PROXY_MADE]: why });
    res.end(body);
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return;
    }
    const body = Buffer.concat(chunks);
    const attempt = String(req.headers[HEADER_ATTEMPT] ?? '?');
    const fault = (String(req.headers[HEADER_FAULT] ?? 'none') as ProxyFault) in counts ? (String(req.headers[HEADER_FAULT] ?? 'none') as ProxyFault) : 'none';
    const delayMs = Number(req.headers[HEADER_DELAY] ?? 0);
    const forwardFirst = req.headers[HEADER_FORWARD_FIRST] === '1';
    if (!target && fault !== 'drop') {
      counts.target_down++;
      options.record({ attempt, status: null, text: '', startedAt: options.clock(), at: options.clock(), relayed: false, error: 'server down' });
      return proxyAnswer(res, 502, 'target_down');
    }
    counts[fault]++;
    switch (fault) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'delay':
      case 'none': {
        if (fault === 'delay') await new Promise((r) => setTimeout(r, delayMs));
        const ex = await forward(req, body, attempt, true);
        return ex ? relay(res, ex) : proxyAnswer(res, 502, 'upstream_failed');
      }
      case 'reset_request':
        await forwardHalf(req, body, attempt);
        req.socket.destroy();
        return;
      case 'reset_response': {
        const ex = await forward(req, body, attempt, false);
        if (!ex) return proxyAnswer(res, 502, 'upstream_failed');
        res.writeHead(ex.status, { 'content-type': String(ex.headers['content-type'] ?? 'application/json'), 'content-length': String(ex.body.length) });
        res.write(ex.body.subarray(0, Math.floor(ex.body.length / 2)));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      case 'twice': {
        // Both copies leave together; the client gets whichever successful answer comes first.
        let relayed = false;
        const answered = new Promise<Exchange | null>((resolve) => {
          let left = 2;
          const one = async (): Promise<void> => {
            const to = target;
            const startedAt = options.clock();
            const ex = await forwardQuiet(req, body, to);
            const mine = ex !== null && !relayed;
            if (mine) relayed = true;
            options.record(
              ex
                ? { attempt, status: ex.status, text: ex.body.toString('utf8'), startedAt, at: options.clock(), relayed: mine }
                : { attempt, status: null, text: '', startedAt, at: options.clock(), relayed: false, error: 'upstream failed' },
            );
            if (mine) resolve(ex);
            if (--left === 0) resolve(null);
          };
          void one();
          void one();
        });
        const ex = await answered;
        return ex ? relay(res, ex) : proxyAnswer(res, 502, 'upstream_failed');
      }
      case 'bad502':
      case 'bad503':
        if (forwardFirst) await forward(req, body, attempt, false);
        return proxyAnswer(res, fault === 'bad502' ? 502 : 503, fault);
    }
  });

  /** An exchange whose answer the caller records itself (the twins of `twice`). */
  const forwardQuiet = (req: http.IncomingMessage, body: Buffer, to: URL | null): Promise<Exchange | null> => {
    if (!to) return Promise.resolve(null);
    inflight++;
    return new Promise<Exchange | null>((resolve) => {
      let done = false;
      const finish = (ex: Exchange | null): void => {
        if (done) return;
        done = true;
        settle();
        resolve(ex);
      };
      const out = http.request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: upstreamHeaders(req, to, body.length), agent, timeout: 120_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', () => finish(null));
        },
      );
      out.on('timeout', () => out.destroy(new Error('upstream timeout')));
      out.on('error', () => finish(null));
      out.end(body);
    });
  };

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (url) => void (target = url ? new URL(url) : null),
    counts,
    idle: () => (inflight === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
