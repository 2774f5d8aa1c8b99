// `npm run server -- --port PORT [--data-dir DIR] [--database-url URL --server-secret-file F] [--admin-token-file F]
//                    [--tls-cert F --tls-key F] [--trust-proxy LIST] [--metrics-port PORT [--metrics-host H]]`
// Runs the central server until SIGTERM/SIGINT, then stops taking requests, finishes the
// ones in flight and closes the database (and stops the embedded PostgreSQL of DIR, the
// default engine). If that PostgreSQL stops on its own, the server says so and exits non-zero.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { parseArgs } from 'node:util';
import { LOG_REDACT } from './app';
import { openCentralServer } from './start';
import { listenForMetrics } from './http/metrics-listener';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    'admin-token-file': { type: 'string' },
    'server-secret-file': { type: 'string' },
    'trust-proxy': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'metrics-port': { type: 'string' },
    'metrics-host': { type: 'string', default: '127.0.0.1' },
    'log-level': { type: 'string', default: 'info' },
  },
});

function portOf(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${flag}: not a port number: ${value}`);
    process.exit(2);
  }
  return n;
}
const port = portOf('port', values.port);
const metricsPort = values['metrics-port'] === undefined ? null : portOf('metrics-port', values['metrics-port']);
const trustProxy = values['trust-proxy'] === undefined ? undefined : proxyList(values['trust-proxy']);

/** `--tls-cert FILE --tls-key FILE`: both or neither, each readable, refused in words when not. */
function tlsFiles(cert: string | undefined, key: string | undefined): { cert: Buffer; key: Buffer } | null {
  if (cert === undefined && key === undefined) return null;
  if (cert === undefined || key === undefined) {
    console.error('--tls-cert and --tls-key go together: give the certificate (PEM) and its private key (PEM).');
    process.exit(2);
  }
  const read = (flag: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      console.error(`--${flag}: ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return process.exit(2);
    }
  };
  const files = { cert: read('tls-cert', cert), key: read('tls-key', key) };
  try {
    // Fails here, in words, rather than at listen with an OpenSSL code.
    createSecureContext(files);
  } catch (e) {
    console.error(`--tls-cert/--tls-key: the certificate and key cannot be used together (${e instanceof Error ? e.message : String(e)})`);
    process.exit(2);
  }
  return files;
}
const tls = tlsFiles(values['tls-cert'], values['tls-key']);

/** `--trust-proxy 10.0.0.5,10.0.1.0/24`: addresses or CIDR ranges, refused in words when not. */
function proxyList(list: string): string[] {
  const entries = list.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !bitsOk || extra !== undefined) {
      console.error(`--trust-proxy: "${entry}" is not an IP address or a CIDR range (e.g. 10.0.0.5 or 10.0.0.0/24)`);
      process.exit(2);
    }
  }
  if (entries.length === 0) {
    console.error('--trust-proxy: name at least one proxy address');
    process.exit(2);
  }
  return entries;
}

// A test-only skew of this process's clock (the history checker runs processes minutes apart);
// the database's own clock is never used for anything the rules depend on.
const clockOffsetMs = Number(process.env.BALLOT_TEST_CLOCK_OFFSET_MS ?? 0);
if (!Number.isFinite(clockOffsetMs)) {
  console.error(`BALLOT_TEST_CLOCK_OFFSET_MS: not a number of milliseconds: ${process.env.BALLOT_TEST_CLOCK_OFFSET_MS}`);
  process.exit(2);
}

const server = await openCentralServer({
  dataDir: values['data-dir'],
  databaseUrl: values['database-url'],
  adminToken: process.env.BALLOT_ADMIN_TOKEN,
  adminTokenFile: values['admin-token-file'],
  serverSecret: process.env.BALLOT_SERVER_SECRET,
  serverSecretFile: values['server-secret-file'],
  ...(trustProxy ? { trustProxy } : {}),
  metricsOnApi: metricsPort === null,
  ...(tls ? { tls } : {}),
  logger: { level: values['log-level'], redact: LOG_REDACT },
  ...(clockOffsetMs !== 0 ? { now: () => new Date(Date.now() + clockOffsetMs) } : {}),
}).catch((e: unknown) => {
  // A setup problem (directory in use, database unreachable, bad secret): say it plainly.
  console.error(`Central server could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
// The metrics listener first: the API's line is the sign that everything is ready.
const metrics = metricsPort === null ? null : await listenForMetrics(server.metrics.registry, { port: metricsPort, host: values['metrics-host'] }).catch((e: unknown) => {
  console.error(`Central server could not serve its metrics on ${values['metrics-host']}:${metricsPort}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
if (metrics) console.log(`Metrics listening on ${metrics.url}`);
const address = await server.app.listen({ port, host: values.host });
const shown = new URL(address);
console.log(`Central server listening on ${tls ? 'https' : 'http'}://${values.host}:${shown.port}`);
if (server.newAdminToken) {
  // Printed once: only its hash is kept.
  console.log(`Admin token (shown only now; keep it safe): ${server.newAdminToken}`);
}

let stopping = false;
async function stop(signal: string, exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await server.app.close();
    await metrics?.close();
    await server.db.close();
  } finally {
    process.exit(exitCode);
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
server.embedded?.onUnexpectedExit((detail) => {
  // Nothing can be recorded without it: stop rather than answer every request with a 500.
  console.error(
    `Central server stopping: its embedded PostgreSQL stopped unexpectedly. ${detail}\n` +
      'Start the server again: PostgreSQL recovers its data from its write-ahead log on start.',
  );
  void stop('embedded PostgreSQL exited', 1);
});
