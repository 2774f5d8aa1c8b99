// The whole operation map: each domain's handlers, merged. The type makes a missing
// operation a compile error.
import type { Core } from '../../core';
import type { Handlers } from '../handler';
import { peopleHandlers } from './people';
import { pendingHandlers } from './pending';
import { scanHandlers } from './scans';
import { sessionHandlers } from './session';
import { workstationHandlers } from './workstation';

export function createHandlers(core: Core): Handlers {
  return {
    ...sessionHandlers(core),
    ...peopleHandlers(core),
    ...workstationHandlers(core),
    ...scanHandlers(core),
    ...pendingHandlers([
      'enrol',
      'importRegisterFile',
      'cancelRegisterImport',
      'registerProgress',
      'listFlags',
      'getFlag',
      'decideFlags',
      'listAudit',
      'verifyAudit',
      'exportData',
      'dashboard',
      'syncStatus',
      'syncNow',
    ]),
  };
}
