// vitest globalSetup: one embedded PostgreSQL for the whole run, in a temporary folder, the
// same engine and settings `npm run server -- --data-dir D` runs (more connections: every
// suite shares it, each in schemas or databases of its own). Its URL reaches the test files
// and the server processes they start through BALLOT_TEST_EMBEDDED_PG_URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.BALLOT_TEST_EMBEDDED_PG_URL) return; // given from outside
  const dir = mkdtempSync(join(tmpdir(), 'ballot-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, settings: { max_connections: 300 } });
  process.env.BALLOT_TEST_EMBEDDED_PG_URL = pg.url;
  pg.onUnexpectedExit((detail) => console.error(`The tests' embedded PostgreSQL stopped: ${detail}`));
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
