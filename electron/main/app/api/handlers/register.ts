// The register copy at the desk: import a file chosen through the transport, follow and cancel it.
import { err, ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function registerHandlers(core: Core): SomeHandlers<'importRegisterFile' | 'cancelRegisterImport' | 'registerProgress'> {
  return {
    importRegisterFile: async (input, { session }) => {
      const path = core.registerFiles.path(input.fileToken);
      if (!path) return err({ code: 'not_found', message: 'Choose the register file again.' });
      // the name the person chose; an upload without one is not named by the id it is stored under
      const name = input.fileName ?? (core.registerFiles.isUpload(input.fileToken) ? 'the uploaded file' : undefined);
      const started = await core.registerImport.start(path, session.personId, name);
      // an uploaded file (online codes in it) is deleted once this import ends, or now if it could not start
      if (started.ok) void core.registerImport.whenFinished().then(() => core.registerFiles.release(input.fileToken));
      else core.registerFiles.release(input.fileToken);
      return started;
    },
    cancelRegisterImport: () => ok(core.registerImport.cancel()),
    registerProgress: () => ok(core.registerImport.progress()),
  };
}
