// Remembers where the operator put the window and how big it was, across restarts. The file
// is read back through a schema (a hand-edited or half-written file must not break start-up)
// and the position is used only if it is still on a connected screen.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export const DEFAULT_WINDOW_BOUNDS: WindowBounds = { width: 1280, height: 800 };

const dimension = z.number().int().min(100).max(20_000);
const coordinate = z.number().int().min(-50_000).max(50_000);
const savedState = z.object({
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: dimension,
  height: dimension,
  maximized: z.boolean().optional(),
});

export function parseWindowState(text: string): WindowBounds | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = savedState.safeParse(json);
  return parsed.success ? parsed.data : null;
}

// A window counts as visible when this much of it overlaps one screen's work area: enough to
// grab its title bar.
const MIN_VISIBLE = 100;

/** The saved bounds fitted to today's screens: off-screen positions are dropped (centred). */
export function placeOnScreen(saved: WindowBounds, workAreas: readonly Rectangle[]): WindowBounds {
  const largest = workAreas.reduce<Rectangle | null>((a, b) => (a && a.width * a.height >= b.width * b.height ? a : b), null);
  const width = largest ? Math.min(saved.width, largest.width) : saved.width;
  const height = largest ? Math.min(saved.height, largest.height) : saved.height;
  const fitted: WindowBounds = { width, height, ...(saved.maximized ? { maximized: true } : {}) };
  if (saved.x === undefined || saved.y === undefined) return fitted;
  const { x, y } = saved;
  const visible = workAreas.some((area) => {
    const overlapX = Math.min(x + width, area.x + area.width) - Math.max(x, area.x);
    const overlapY = Math.min(y + height, area.y + area.height) - Math.max(y, area.y);
    return overlapX >= MIN_VISIBLE && overlapY >= MIN_VISIBLE;
  });
  return visible ? { ...fitted, x, y } : fitted;
}

export interface WindowStateFile {
  load(): WindowBounds;
  save(bounds: WindowBounds): void;
}

export function windowStateFile(path: string): WindowStateFile {
  return {
    load() {
      try {
        return parseWindowState(readFileSync(path, 'utf8')) ?? DEFAULT_WINDOW_BOUNDS;
      } catch {
        return DEFAULT_WINDOW_BOUNDS;
      }
    },
    save(bounds) {
      // Write then rename: a crash mid-write leaves the old file, never half a file.
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.tmp`;
      writeFileSync(temp, JSON.stringify(bounds));
      renameSync(temp, path);
    },
  };
}

/** The part of a BrowserWindow this module uses (the typed stand-in implements exactly this). */
export interface TrackedWindow extends Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'> {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/**
 * Saves the window's normal (un-maximised) bounds and whether it is maximised: shortly after
 * each move or resize, and once more when it closes.
 */
export function trackWindowState(win: TrackedWindow, file: Pick<WindowStateFile, 'save'>, delayMs = 500): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const { x, y, width, height } = win.getNormalBounds();
    try {
      file.save({ x, y, width, height, maximized: win.isMaximized() });
    } catch {
      // Losing the window position is not worth interrupting anyone for.
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
}
