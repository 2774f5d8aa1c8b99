// The whole operation map: each domain's handlers, merged. The type makes a missing
// operation a compile error.
import type { Core } from '../../core';
import type { Handlers } from '../handler';
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

export function createHandlers(core: Core): Handlers {
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
