// The server processes of a run: `tsx server/cli.ts --database-url URL` as child processes,
// each with its own skewed clock (BALLOT_TEST_CLOCK_OFFSET_MS) and its own fault proxy in
// front. A process can be SIGKILLed and started again (a new port; its proxy follows it).
import { ADMIN_TOKEN, SECRET } from '../server/harness';
import { spawnServer, type ServerProcess } from '../server/processes';
import { startHistoryProxy, type HistoryProxy, type UpstreamAnswer } from './proxy';

export interface ServerSlot {
  index: number;
  skewMs: number;
  proxy: HistoryProxy;
  process: ServerProcess | null;
}

export interface Cluster {
  slots: ServerSlot[];
  /** the server's own address (calm: setup and the final checks), null while it is down */
  directUrl(server: number): string | null;
  kill(server: number): void;
  start(server: number): Promise<void>;
  /** processes that exited without being killed by the run */
  unexpectedExits: Array<{ server: number; at: number; detail: string }>;
  close(): Promise<void>;
}

export async function startCluster(options: {
  databaseUrl: string;
  skewsMs: number[];
  record(answer: UpstreamAnswer): void;
  clock(): number;
  /** a process that died by itself, and its start again */
  onEvent?: (e: { kind: 'server_exited'; server: number; at: number; detail: string } | { kind: 'started'; server: number; at: number }) => void;
}): Promise<Cluster> {
  const slots: ServerSlot[] = [];
  const unexpectedExits: Cluster['unexpectedExits'] = [];
  const killed = new Set<ServerProcess>();
  let closing = false;

  const spawnOnce = async (slot: ServerSlot): Promise<ServerProcess> => {
    const env = {
      BALLOT_ADMIN_TOKEN: ADMIN_TOKEN,
      BALLOT_SERVER_SECRET: SECRET.toString('utf8'),
      BALLOT_TEST_CLOCK_OFFSET_MS: String(slot.skewMs),
    };
    return spawnServer(['--database-url', options.databaseUrl], env);
  };

  const starting = new Map<number, Promise<void>>();
  const start = (server: number): Promise<void> => {
    const pending = starting.get(server);
    if (pending) return pending;
    const p = startOnce(server).finally(() => starting.delete(server));
    starting.set(server, p);
    return p;
  };
  const startOnce = async (server: number): Promise<void> => {
    const slot = slots[server]!;
    if (slot.process) return;
    // The database may be down (a PostgreSQL restart under way): try again until it is back.
    const until = Date.now() + 120_000;
    for (;;) {
      try {
        const p = await spawnOnce(slot);
        p.child.on('exit', (code, signal) => {
          if (killed.has(p) || closing) return;
          const said = p.output().split('\n').filter((l) => /error|Error|terminat|FATAL/.test(l)).slice(-4).join(' | ');
          const exit = { server, at: options.clock(), detail: `exit ${code ?? signal}: ${said || p.output().slice(-600)}` };
          unexpectedExits.push(exit);
          options.onEvent?.({ kind: 'server_exited', ...exit });
          if (slot.process === p) {
            slot.process = null;
            slot.proxy.setTarget(null);
            // as a supervisor (systemd) would: the checker reports the crash, the run goes on
            void start(server)
              .then(() => options.onEvent?.({ kind: 'started', server, at: options.clock() }))
              .catch(() => undefined);
          }
        });
        slot.process = p;
        slot.proxy.setTarget(p.url);
        return;
      } catch (e) {
        if (Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  for (let i = 0; i < options.skewsMs.length; i++) {
    const proxy = await startHistoryProxy({ record: options.record, clock: options.clock });
    slots.push({ index: i, skewMs: options.skewsMs[i]!, proxy, process: null });
  }
  // The first process migrates the schema; the others start beside it.
  await start(0);
  await Promise.all(slots.slice(1).map((s) => start(s.index)));

  return {
    slots,
    directUrl: (server) => slots[server]?.process?.url ?? null,
    kill(server) {
      const slot = slots[server]!;
      const p = slot.process;
      if (!p) return;
      killed.add(p);
      slot.proxy.setTarget(null);
      slot.process = null;
      p.child.kill('SIGKILL');
    },
    start,
    unexpectedExits,
    async close() {
      closing = true;
      await Promise.all(
        slots.map(async (s) => {
          await s.process?.stop();
          await s.proxy.close();
        }),
      );
    },
  };
}
