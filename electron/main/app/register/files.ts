// Register files handed to the core by a transport, by opaque token. A file the user chose
// (Electron's file dialog) is theirs and is never touched. A file the headless host received as
// an upload is the app's: it holds every member's online code, so it is deleted as soon as the
// import that read it ends (done, failed or cancelled), when an import with it cannot start, and
// at the latest when the app closes.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AppLog } from '../app.types';

export interface RegisterFileOptions {
  /** the file is an upload the app owns: delete it once an import with it has ended */
  deleteAfterImport?: boolean;
}

export class RegisterFiles {
  private readonly files = new Map<string, { path: string; owned: boolean }>();

  constructor(private readonly log: AppLog) {}

  add(path: string, options: RegisterFileOptions = {}): string {
    const token = randomUUID();
    this.files.set(token, { path, owned: options.deleteAfterImport === true });
    return token;
  }

  path(token: string): string | null {
    return this.files.get(token)?.path ?? null;
  }

  /** An upload is stored under an id: its own name says nothing to people. */
  isUpload(token: string): boolean {
    return this.files.get(token)?.owned === true;
  }

  /** The import with this file has ended (or could not start): an uploaded file is deleted. */
  release(token: string): void {
    const file = this.files.get(token);
    if (!file?.owned) return;
    this.files.delete(token);
    this.remove(file.path);
  }

  /** The app closes: uploads never imported go too. */
  releaseAll(): void {
    for (const token of [...this.files.keys()]) this.release(token);
  }

  private remove(path: string): void {
    try {
      rmSync(path, { force: true });
    } catch (e) {
      this.log.warn('an uploaded register file could not be deleted', { path, error: (e as Error).message });
    }
  }
}
