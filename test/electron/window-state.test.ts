import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_WINDOW_BOUNDS, parseWindowState, placeOnScreen, trackWindowState, windowStateFile } from '../../electron/main/shell/window-state';
import { FakeWindow } from './fake-electron';

const screen = { x: 0, y: 0, width: 1920, height: 1040 };

describe('window state', () => {
  it('reads back only a well-formed file', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1000,"height":700,"maximized":true}')).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(parseWindowState('{"width":"big"}')).toBeNull();
    expect(parseWindowState('{"width":5,"height":5}')).toBeNull();
    expect(parseWindowState('not json')).toBeNull();
  });

  it('keeps a position that is on a screen, drops one that is not, and fits the size', () => {
    expect(placeOnScreen({ x: 100, y: 100, width: 1200, height: 800 }, [screen])).toEqual({ x: 100, y: 100, width: 1200, height: 800 });
    // a second monitor that has since been unplugged
    expect(placeOnScreen({ x: 2500, y: 100, width: 1200, height: 800 }, [screen])).toEqual({ width: 1200, height: 800 });
    expect(placeOnScreen({ x: 0, y: 0, width: 4000, height: 3000, maximized: true }, [screen])).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: true });
  });

  it('survives restarts through its file, and falls back to the default on a broken one', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'window-state-')), 'window-state.json');
    const file = windowStateFile(path);
    expect(file.load()).toEqual(DEFAULT_WINDOW_BOUNDS);
    file.save({ x: 1, y: 2, width: 1000, height: 700, maximized: false });
    expect(windowStateFile(path).load()).toEqual({ x: 1, y: 2, width: 1000, height: 700, maximized: false });
    writeFileSync(path, '{"x":');
    expect(windowStateFile(path).load()).toEqual(DEFAULT_WINDOW_BOUNDS);
  });

  it('saves the normal bounds shortly after a move and at once on close', () => {
    vi.useFakeTimers();
    try {
      const win = new FakeWindow();
      const saved: unknown[] = [];
      trackWindowState(win, { save: (b) => saved.push(b) }, 500);
      win.bounds = { x: 50, y: 60, width: 1100, height: 750 };
      win.emit('move');
      win.emit('resize');
      expect(saved).toEqual([]);
      vi.advanceTimersByTime(500);
      expect(saved).toEqual([{ x: 50, y: 60, width: 1100, height: 750, maximized: false }]);
      win.maximized = true;
      win.emit('close');
      expect(saved.at(-1)).toEqual({ x: 50, y: 60, width: 1100, height: 750, maximized: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes through a temporary file, never leaving half a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'window-state-'));
    windowStateFile(join(dir, 'window-state.json')).save({ width: 900, height: 600 });
    expect(JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8'))).toEqual({ width: 900, height: 600 });
  });
});
