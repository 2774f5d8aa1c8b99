// The whole operation map: each domain's handlers, merged. The type makes a missing
// operation a compile error. Operations that write to the outbox tell the sync engine at once,
// so Sync status never says "Up to date" over something just recorded.
import type { Core } from '../../core';
import type { Handler, Handlers } from '../handler';
import { auditHandlers } from './audit';
import { exportHandlers } from './exports';
import { flagHandlers } from './flags';
import { peopleHandlers } from './people';
import { registerHandlers } from './register';
import { reportHandlers } from './reports';
import { scanHandlers } from './scans';
import { sessionHandlers } from './session';
import { syncHandlers } from './sync';
import { workstationHandlers } from './workstation';

const OUTBOX_WRITERS = ['recordScan', 'recordManualEntry', 'decideFlags'] as const;

export function createHandlers(core: Core): Handlers {
  const handlers = all(core);
  for (const name of OUTBOX_WRITERS) {
    const run = handlers[name] as Handler<typeof name>;
    (handlers as Record<string, unknown>)[name] = async (input: never, ctx: never) => {
      const r = await run(input, ctx);
      core.sync.outboxChanged();
      return r;
    };
  }
  return handlers;
}

function all(core: Core): Handlers {
  return {
    ...sessionHandlers(core),
    ...peopleHandlers(core),
    ...workstationHandlers(core),
    ...scanHandlers(core),
    ...registerHandlers(core),
    ...flagHandlers(core),
    ...auditHandlers(core),
    ...exportHandlers(core),
    ...syncHandlers(core),
    ...reportHandlers(core),
  };
}
