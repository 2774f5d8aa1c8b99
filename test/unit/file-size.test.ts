// Issue 16: no source file over 300 lines without a reason given in its opening comment (a line
// "Over 300 lines because …"), so a file doing five jobs is seen when it grows, not years later.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE_ROOTS = ['electron', 'server', 'shared', 'renderer/src', 'scripts'];

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx|mjs)$/.test(name)) yield path;
  }
}

/** The comment lines at the top of a file, before its first line of code. */
function openingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('//') || line.trim() === '') lines.push(line);
    else break;
  }
  return lines.join('\n');
}

describe('source files', () => {
  it('over 300 lines only with the reason in the opening comment', () => {
    const unexplained: string[] = [];
    for (const root of SOURCE_ROOTS)
      for (const file of sources(join(ROOT, root))) {
        const text = readFileSync(file, 'utf8');
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        if (lines > 300 && !/Over 300 lines because/.test(openingComment(text))) unexplained.push(`${relative(ROOT, file)} (${lines} lines)`);
      }
    expect(unexplained).toEqual([]);
  });
});
