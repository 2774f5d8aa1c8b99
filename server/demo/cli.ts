// `npm run demo -- [--dir DIR] [--port PORT]`: a whole demo on one machine. Starts the central
// server (its embedded PostgreSQL in DIR/server), creates election 1022 with 10,000 members (some
// reissued and cancelled packs, some who already voted online), writes DIR/register.csv and a
// printable training pack of envelope labels DIR/envelopes.pdf, prints the server URL, an
// enrolment code and the admin token, and runs until Ctrl-C.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_REDACT } from '../app';
import { openCentralServer } from '../start';
import { seedDemo } from './seed-demo';

const { values } = parseArgs({ options: { dir: { type: 'string', default: '.data/demo' }, port: { type: 'string', default: '0' } } });
const dir = resolve(values.dir);
mkdirSync(dir, { recursive: true });

// The demo keeps its admin token in its directory (0600) so a second run can reuse the data.
const tokenFile = join(dir, 'admin-token');
if (!existsSync(tokenFile)) writeFileSync(tokenFile, `demo_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
const adminToken = readFileSync(tokenFile, 'utf8').trim();

const server = await openCentralServer({ dataDir: join(dir, 'server'), adminToken, logger: { level: 'warn', redact: LOG_REDACT } });
const address = await server.app.listen({ port: Number(values.port), host: '127.0.0.1' });
const url = `http://127.0.0.1:${new URL(address).port}`;
console.error('Setting up the demo election (10,000 members)…');
const demo = await seedDemo({ server: url, adminToken, dir });

console.log(`Central server listening on ${url}`);
console.log(`Election 1022 "Leadership election 2026", centre "demo-centre"${demo.created ? '' : ' (from an earlier run)'}`);
console.log(`Enrolment code: ${demo.enrolmentCode} (expires ${demo.expiresAt})`);
console.log(`Admin token: ${adminToken} (also in ${tokenFile})`);
console.log(`Register: ${demo.registerFile}`);
console.log(`Training envelopes (A4 label sheets, 3 × 7; the first page says how to print them): ${demo.sheetFile}`);
if (demo.created) console.log(`Members who already voted online: ${demo.onlineVoters}`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await server.app.close();
  await server.db.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
server.embedded?.onUnexpectedExit((detail) => {
  console.error(`The demo's embedded PostgreSQL stopped unexpectedly; the demo stops too. ${detail}`);
  process.exitCode = 1;
  void server.app.close().finally(() => server.db.close()).finally(() => process.exit(1));
});
