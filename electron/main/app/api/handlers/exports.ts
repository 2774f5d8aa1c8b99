// Exports written for the returning officer and for checking (each one audited with its SHA-256).
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function exportHandlers(core: Core): SomeHandlers<'exportData'> {
  return {
    exportData: (input, { now }) => core.exports.write(input.what, core.session.info!.personId, now),
  };
}
