import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogFile, logFilePath } from '../../electron/main/shell/log-file';

describe('the log file', () => {
  it('writes one JSON object per line, errors with their message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-file-'));
    const log = createLogFile({ dir, now: () => new Date('2026-11-25T03:00:00Z') });
    log.info('starting', { version: '0.1.0' });
    log.error('the renderer could not be loaded', { error: new Error('ERR_FILE_NOT_FOUND') });
    const lines = readFileSync(log.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ at: '2026-11-25T03:00:00.000Z', level: 'info', message: 'starting', version: '0.1.0' });
    expect(lines[1]).toMatchObject({ level: 'error', error: { name: 'Error', message: 'ERR_FILE_NOT_FOUND' } });
  });

  it('rotates by size and keeps a bounded number of old files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-file-'));
    const log = createLogFile({ dir, maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i++) log.info(`line ${i}`, { pad: 'x'.repeat(60) });
    expect(readFileSync(logFilePath(dir), 'utf8').length).toBeLessThanOrEqual(1000);
    expect(existsSync(logFilePath(dir, 1))).toBe(true);
    expect(existsSync(logFilePath(dir, 2))).toBe(true);
    expect(existsSync(logFilePath(dir, 3))).toBe(false);
    // the newest line is in the current file, and nothing was lost between it and .1
    expect(readFileSync(logFilePath(dir), 'utf8')).toContain('"line 99"');
  });

  it('continues an existing file after a restart, counting its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-file-'));
    createLogFile({ dir, maxBytes: 400 }).info('first run', { pad: 'x'.repeat(300) });
    createLogFile({ dir, maxBytes: 400 }).info('second run', { pad: 'x'.repeat(300) });
    expect(readFileSync(logFilePath(dir), 'utf8')).toContain('second run');
    expect(readFileSync(logFilePath(dir, 1), 'utf8')).toContain('first run');
  });

  it('does not throw on values JSON cannot hold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-file-'));
    const log = createLogFile({ dir });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => log.warn('odd', { circular, big: 10n })).not.toThrow();
    expect(readFileSync(log.path, 'utf8')).toContain('fields not serialisable');
  });
});
