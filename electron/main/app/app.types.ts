// What the app core offers its hosts (the Electron shell and the headless web host). Both
// carry `dispatch` and `subscribe` to the renderer without knowing any operation.
import type { ApiError, PushEvent } from '../../../shared/api/types';
import type { Result } from '../../../shared/result';
import type { PinCost } from './auth/pin';
import type { RegisterFileOptions } from './register/files';

/** Where the device token lives: Electron's safeStorage, or a 0600 file in the headless host. */
export interface SecretStore {
  /** a short description for logs and the settings screen, e.g. "safeStorage (libsecret)" */
  readonly description: string;
  get(name: string): Promise<string | null>;
  /** refuses (a value, not a throw) where the secret cannot be kept safely */
  set(name: string, value: string): Promise<Result<void, string>>;
}

export interface AppLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface OpenAppOptions {
  dataDir: string;
  secretStore: SecretStore;
  log: AppLog;
  /** injectable for tests */
  now?: () => Date;
  /** the central server's address given on the command line, offered on the enrolment form */
  defaultServerUrl?: string;
  /** an Electron-ABI build of better-sqlite3 (the shell passes it; plain Node uses the default) */
  nativeBinding?: string;
  /** a lower scrypt cost for PIN hashes, for tests only: the hosts never pass it (production's cost) */
  pinCost?: PinCost;
}

export type AppStartupError = { code: 'database' | 'newer_database'; message: string };

export interface App {
  /** validates `input` against the operation's schema and checks the role before running it */
  dispatch(name: string, input: unknown): Promise<Result<unknown, ApiError>>;
  subscribe(listener: (event: PushEvent) => void): () => void;
  /**
   * the transport's file chooser picked this file: returns the token for `importRegisterFile`.
   * `deleteAfterImport`: the file is an upload the app owns (the headless host's), deleted once
   * an import with it has ended, or when the app closes.
   */
  registerFile(path: string, options?: RegisterFileOptions): string;
  /** where an export's file is, for the transport to save (Electron) or serve (web) */
  exportFile(exportId: string): { path: string; fileName: string } | null;
  close(): Promise<void>;
}
