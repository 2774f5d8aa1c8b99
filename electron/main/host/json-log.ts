// JSON-lines log on stderr for the headless host (stdout carries only the listening line).
import type { AppLog } from '../app/app.types';

export function jsonLog(stream: NodeJS.WritableStream = process.stderr): AppLog {
  const write = (level: string, message: string, fields?: Record<string, unknown>) =>
    stream.write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + '\n');
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
