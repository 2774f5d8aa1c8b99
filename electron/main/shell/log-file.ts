// The desktop app's log: one JSON object per line in <userData>/logs/ballot-intake.log, rotated
// by size (ballot-intake.1.log is the previous file, and so on), so a workstation that runs for
// weeks never fills its disk. Written synchronously: lines are few and short, and the line about
// a crash must be on disk before the process dies.
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppLog } from '../app/app.types';

export interface LogFileOptions {
  dir: string;
  /** rotate when the current file would grow past this */
  maxBytes?: number;
  /** rotated files kept besides the current one */
  keep?: number;
  now?: () => Date;
  /** also echo to the console (development) */
  echo?: boolean;
}

export const LOG_FILE_NAME = 'ballot-intake.log';

export function logFilePath(dir: string, generation = 0): string {
  return join(dir, generation === 0 ? LOG_FILE_NAME : `ballot-intake.${generation}.log`);
}

export function createLogFile(options: LogFileOptions): AppLog & { readonly path: string } {
  const { dir, maxBytes = 5 * 1024 * 1024, keep = 5, now = () => new Date(), echo = false } = options;
  mkdirSync(dir, { recursive: true });
  const path = logFilePath(dir);
  let size = sizeOf(path);

  const rotate = () => {
    rmSync(logFilePath(dir, keep), { force: true });
    for (let g = keep - 1; g >= 0; g--) {
      try {
        renameSync(logFilePath(dir, g), logFilePath(dir, g + 1));
      } catch {
        // that generation does not exist yet
      }
    }
    size = 0;
  };

  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => {
    const line = `${safeJson({ at: now().toISOString(), level, message, ...fields })}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(path, line, { mode: 0o600 });
      size += bytes;
    } catch {
      // A full disk must not take the app down with it: the database write is what matters.
    }
    if (echo) (level === 'error' ? console.error : console.log)(line.trimEnd());
  };

  return {
    path,
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Errors become their message and stack; anything unserialisable is said so, not thrown. */
function safeJson(value: Record<string, unknown>): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : typeof v === 'bigint' ? v.toString() : v,
    );
  } catch {
    return JSON.stringify({ at: value.at, level: value.level, message: value.message, note: 'fields not serialisable' });
  }
}
