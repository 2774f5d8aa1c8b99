// A small stand-in for the app core's host interface (electron/main/app/app.types.ts): records
// what the shell asked of it and answers with scripted values.
import type { App } from '../../electron/main/app/app.types';
import type { ApiError, PushEvent } from '../../shared/api/types';
import { ok, type Result } from '../../shared/result';

export class FakeApp implements App {
  readonly dispatched: Array<{ name: string; input: unknown }> = [];
  readonly registeredFiles: string[] = [];
  readonly exports = new Map<string, { path: string; fileName: string }>();
  answer: (name: string, input: unknown) => Promise<Result<unknown, ApiError>> = async (name) => ok({ answeredBy: name });
  private readonly listeners = new Set<(event: PushEvent) => void>();
  closed = false;

  dispatch(name: string, input: unknown): Promise<Result<unknown, ApiError>> {
    this.dispatched.push({ name, input });
    return this.answer(name, input);
  }
  subscribe(listener: (event: PushEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  push(event: PushEvent): void {
    for (const l of this.listeners) l(event);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  registerFile(path: string): string {
    this.registeredFiles.push(path);
    return `token-${this.registeredFiles.length}`;
  }
  exportFile(exportId: string): { path: string; fileName: string } | null {
    return this.exports.get(exportId) ?? null;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** An AppLog that keeps its lines for assertions. */
export function memoryLog() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  return {
    lines,
    info: (message: string, fields?: Record<string, unknown>) => lines.push({ level: 'info', message, fields }),
    warn: (message: string, fields?: Record<string, unknown>) => lines.push({ level: 'warn', message, fields }),
    error: (message: string, fields?: Record<string, unknown>) => lines.push({ level: 'error', message, fields }),
  };
}
