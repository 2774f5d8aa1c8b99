// A misbehaving HTTP proxy of our own, placed between workstations and the central server.
// Each request draws one fault (or none) with the configured probabilities:
//   drop      the connection is closed before the request reaches the server
//   delay     the request waits (up to delayMs) before it is forwarded
//   bad502 / bad503   an error answer, half the time after the server DID process the request
//   reset     the server's answer is cut off mid-body and the connection reset
//   twice     the request is delivered to the server twice (one after the other); the
//             workstation sees the second answer
// When the server is down the proxy answers 502, like a real one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRates {
  drop: number;
  delay: number;
  bad502: number;
  bad503: number;
  reset: number;
  twice: number;
  /** the longest delay, ms */
  delayMs: number;
}

export const CALM: FaultRates = { drop: 0, delay: 0, bad502: 0, bad503: 0, reset: 0, twice: 0, delayMs: 0 };
export const STORMY: FaultRates = { drop: 0.05, delay: 0.1, bad502: 0.05, bad503: 0.05, reset: 0.05, twice: 0.1, delayMs: 800 };

type Fault = 'none' | 'drop' | 'delay' | 'bad502' | 'bad503' | 'reset' | 'twice';

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface FaultProxy {
  url: string;
  setFaults(rates: FaultRates): void;
  /** how many requests met each fault */
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, rates: FaultRates = CALM, random: () => number = Math.random): Promise<FaultProxy> {
  const upstreamUrl = new URL(target);
  let current = rates;
  const counts: Record<Fault, number> = { none: 0, drop: 0, delay: 0, bad502: 0, bad503: 0, reset: 0, twice: 0 };
  const sockets = new Set<import('node:net').Socket>();

  const draw = (): Fault => {
    let x = random();
    for (const f of ['drop', 'delay', 'bad502', 'bad503', 'reset', 'twice'] as const) {
      if (x < current[f]) return f;
      x -= current[f];
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

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const fault = draw();
    counts[fault]++;
    try {
      switch (fault) {
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
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
