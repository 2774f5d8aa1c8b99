// A misbehaving HTTP proxy of our own, placed between workstations and the central server.
// Each request draws one fault (or none) with the configured probabilities:
//   drop      the connection is closed before the request reaches the server
//   delay     the request waits (up to delayMs) before it is forwarded
//   bad502 / bad503   an error answer, half the time after the server DID process the request
//   reset     the server's answer is cut off mid-body and the connection reset
//   twice     the request is delivered to the server twice (one after the other); the
//             workstation sees the second answer
//   html403 / html404 / html413 / html502   a web filter's or proxy's HTML error page, half
//             the time after the server DID process the request
//   portal200 a captive portal's sign-in page with status 200 (the request never reaches the server)
//   resetBody the request is cut off after part of its body reached the proxy (the server never sees it)
// `maxBodyBytes` makes the proxy answer 413 with an HTML page to any larger request, as a
// proxy with a body limit does. When the server is down the proxy answers 502, like a real one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRates {
  drop: number;
  delay: number;
  bad502: number;
  bad503: number;
  reset: number;
  twice: number;
  html403?: number;
  html404?: number;
  html413?: number;
  html502?: number;
  portal200?: number;
  resetBody?: number;
  /** the longest delay, ms */
  delayMs: number;
  /** a larger request body gets an HTML 413 (a proxy's limit) */
  maxBodyBytes?: number;
}

export const CALM: FaultRates = { drop: 0, delay: 0, bad502: 0, bad503: 0, reset: 0, twice: 0, delayMs: 0 };
export const STORMY: FaultRates = { drop: 0.05, delay: 0.1, bad502: 0.05, bad503: 0.05, reset: 0.05, twice: 0.1, delayMs: 800 };
/** Council and venue networks: web filters, captive portals and proxies answering with their own pages. */
export const HOSTILE: FaultRates = {
  drop: 0.03,
  delay: 0.05,
  bad502: 0,
  bad503: 0.03,
  reset: 0.05,
  twice: 0.05,
  html403: 0.05,
  html404: 0.06,
  html413: 0.05,
  html502: 0.04,
  portal200: 0.03,
  resetBody: 0.03,
  delayMs: 500,
  // about 50 receipts: a backlog's batches of 500 are split
  maxBodyBytes: 12_000,
};

const FAULTS = ['drop', 'delay', 'bad502', 'bad503', 'reset', 'twice', 'html403', 'html404', 'html413', 'html502', 'portal200', 'resetBody'] as const;
type Fault = 'none' | (typeof FAULTS)[number] | 'tooLarge';

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A fault or an answer of its own for one request, chosen by a test (see setOverride). */
export type Override = { fault: Exclude<Fault, 'none' | 'tooLarge'> } | { answer: { status: number; type: string; body: string } };

export interface FaultProxy {
  url: string;
  setFaults(rates: FaultRates): void;
  /** decides, before the drawn fault, what happens to a request (undefined: as drawn) */
  setOverride(rule: ((req: { method: string; path: string }) => Override | undefined) | null): void;
  /** how many requests met each fault */
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, rates: FaultRates = CALM, random: () => number = Math.random): Promise<FaultProxy> {
  const upstreamUrl = new URL(target);
  let current = rates;
  let override: ((req: { method: string; path: string }) => Override | undefined) | null = null;
  const counts = Object.fromEntries(['none', 'tooLarge', ...FAULTS].map((f) => [f, 0])) as Record<Fault, number>;
  const sockets = new Set<import('node:net').Socket>();

  const draw = (): Fault => {
    let x = random();
    for (const f of FAULTS) {
      const rate = current[f] ?? 0;
      if (x < rate) return f;
      x -= rate;
    }
    return 'none';
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstreamUrl.host, connection: 'close' };
      const out = http.request(
        { host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path: req.url, headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const send = (res: http.ServerResponse, up: Upstream) => {
    const headers = { ...up.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    headers['content-length'] = String(up.body.length);
    res.writeHead(up.status, headers);
    res.end(up.body);
  };

  const badGateway = (res: http.ServerResponse, status: number) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(`<html><body>${status} from the fault proxy</body></html>`);
  };

  const htmlPage = (res: http.ServerResponse, status: number, title: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>Contact your network administrator.</p></body></html>`);
  };

  const server = http.createServer(async (req, res) => {
    // Drawn before the body is read: resetBody cuts the request off part-way through its body.
    const chosen = override?.({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]! });
    if (chosen && 'answer' in chosen) {
      for await (const _ of req) void _;
      res.writeHead(chosen.answer.status, { 'content-type': chosen.answer.type });
      res.end(chosen.answer.body);
      return;
    }
    let fault: Fault = chosen ? chosen.fault : draw();
    if (fault === 'resetBody') {
      counts.resetBody++;
      req.once('data', () => req.socket.destroy());
      req.once('end', () => req.socket.destroy());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (current.maxBodyBytes !== undefined && body.length > current.maxBodyBytes) fault = 'tooLarge';
    counts[fault]++;
    try {
      switch (fault) {
        case 'tooLarge':
          htmlPage(res, 413, '413 Request Entity Too Large');
          return;
        case 'html403':
        case 'html404':
        case 'html413':
        case 'html502': {
          if (random() < 0.5) await forward(req, body).catch(() => undefined);
          const status = Number(fault.slice(4));
          const title = { 403: '403 Forbidden: blocked by the web filter', 404: '404 Not Found', 413: '413 Request Entity Too Large', 502: '502 Bad Gateway' }[status]!;
          htmlPage(res, status, title);
          return;
        }
        case 'portal200':
          htmlPage(res, 200, 'Welcome to the venue Wi-Fi: sign in to continue');
          return;

        case 'drop':
          req.socket.destroy();
          return;
        case 'delay':
          await new Promise((r) => setTimeout(r, Math.floor(random() * current.delayMs)));
          send(res, await forward(req, body));
          return;
        case 'bad502':
        case 'bad503':
          if (random() < 0.5) await forward(req, body).catch(() => undefined);
          badGateway(res, fault === 'bad502' ? 502 : 503);
          return;
        case 'reset': {
          const up = await forward(req, body);
          res.writeHead(up.status, { 'content-type': String(up.headers['content-type'] ?? 'application/json'), 'content-length': String(up.body.length) });
          res.write(up.body.subarray(0, Math.floor(up.body.length / 2)));
          setTimeout(() => req.socket.destroy(), 5);
          return;
        }
        case 'twice': {
          await forward(req, body).catch(() => undefined);
          send(res, await forward(req, body));
          return;
        }
        case 'none':
          send(res, await forward(req, body));
          return;
      }
    } catch {
      if (!res.headersSent) badGateway(res, 502);
      else req.socket.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setFaults: (r) => void (current = r),
    setOverride: (rule) => void (override = rule),
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
