// The fake camera's video file: Chromium reads the YUV4MPEG2 header and fixed-size frames.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeY4m } from '../fixtures/y4m';

const dir = mkdtempSync(join(tmpdir(), 'ballot-y4m-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Y4M video', () => {
  it('holds a 4:2:0 header and each scene for its number of frames', () => {
    const path = join(dir, 'two.y4m');
    const dark = new Uint8ClampedArray(4 * 2).fill(16);
    const light = new Uint8ClampedArray(4 * 2).fill(235);
    const frames = writeY4m(path, { width: 4, height: 2, framesPerSecond: 5 }, [
      { luminance: dark, frames: 2 },
      { luminance: light, frames: 1 },
    ]);
    expect(frames).toBe(3);
    const file = readFileSync(path);
    const header = 'YUV4MPEG2 W4 H2 F5:1 Ip A1:1 C420jpeg\n';
    expect(file.subarray(0, header.length).toString()).toBe(header);
    // Per frame: "FRAME\n", 8 luminance bytes, 2 + 2 chroma bytes at mid-grey.
    const frameBytes = 6 + 8 + 4;
    expect(file.length).toBe(header.length + 3 * frameBytes);
    const third = file.subarray(header.length + 2 * frameBytes);
    expect(third.subarray(0, 6).toString()).toBe('FRAME\n');
    expect([...third.subarray(6, 14)]).toEqual(Array(8).fill(235));
    expect([...third.subarray(14)]).toEqual([128, 128, 128, 128]);
  });

  it('refuses an odd size, which 4:2:0 cannot hold', () => {
    expect(() => writeY4m(join(dir, 'odd.y4m'), { width: 3, height: 2, framesPerSecond: 5 }, [])).toThrow(RangeError);
  });
});
