// Workstation settings, stored as JSON by key and validated with a schema when read, so a
// value written by another version or by hand can never reach the scan path unchecked.
import { z } from 'zod';
import type { Settings as SettingsShape } from '../../../shared/api/types';
import { REPEAT_WINDOW_MIN_SECONDS } from '../../../shared/domain';
import { err, ok, type Result } from '../../../shared/result';
import type { Db } from './db/open';

const schema = z.object({
  // A window stored below the minimum (an older version allowed 0) reads as the minimum.
  repeatWindowSeconds: z.number().int().max(3600).transform((s) => Math.max(s, REPEAT_WINDOW_MIN_SECONDS)).catch(10),
  idleLockMinutes: z.number().int().min(1).max(240).catch(15),
  muted: z.boolean().catch(false),
  decoder: z.enum(['zxing-wasm', 'zxing-js']).catch('zxing-wasm'),
});

export const DEFAULT_SETTINGS: SettingsShape = { repeatWindowSeconds: 10, idleLockMinutes: 15, muted: false, decoder: 'zxing-wasm' };

export class Settings {
  private cached: SettingsShape | null = null;
  constructor(private readonly db: Db) {}

  get(): SettingsShape {
    if (this.cached) return this.cached;
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
    const stored: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const r of rows) {
      try {
        stored[r.key] = JSON.parse(r.value);
      } catch {
        /* an unreadable value falls back to its default through the schema */
      }
    }
    this.cached = schema.parse(stored);
    return this.cached;
  }

  /**
   * What is wrong with a change, in words, or null. The API's schema refuses the same; this
   * holds for any other caller of the core too.
   */
  static refusal(changes: Partial<SettingsShape>): string | null {
    const w = changes.repeatWindowSeconds;
    if (w !== undefined && !(Number.isInteger(w) && w >= REPEAT_WINDOW_MIN_SECONDS && w <= 3600)) {
      return `The repeat-read window is ${REPEAT_WINDOW_MIN_SECONDS} to 3600 seconds: a scanner that reads an envelope twice in a burst must not make a duplicate flag.`;
    }
    return null;
  }

  /** Call inside the transaction that audits the change; a refused change changes nothing. */
  change(changes: Partial<SettingsShape>): Result<SettingsShape, string> {
    const refused = Settings.refusal(changes);
    return refused ? err(refused) : ok(this.set(changes));
  }

  /** Call inside the transaction that audits the change (checked: use `change`). */
  private set(changes: Partial<SettingsShape>): SettingsShape {
    const stmt = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of Object.entries(changes)) if (v !== undefined) stmt.run(k, JSON.stringify(v));
    this.cached = null;
    return this.get();
  }
}
