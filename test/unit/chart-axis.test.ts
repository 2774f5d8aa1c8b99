import { describe, expect, it } from 'vitest';
import { yAxis } from '../../renderer/src/lib/chart-axis';

describe('the chart y axis', () => {
  it('uses round whole steps and at most five of them, the top just above the highest bar', () => {
    expect(yAxis(0)).toEqual({ step: 1, lines: 1 });
    expect(yAxis(3)).toEqual({ step: 1, lines: 3 });
    expect(yAxis(7)).toEqual({ step: 2, lines: 4 });
    expect(yAxis(27)).toEqual({ step: 10, lines: 3 });
    expect(yAxis(1_001)).toEqual({ step: 250, lines: 5 });
    expect(yAxis(1_004)).toEqual({ step: 250, lines: 5 });
    expect(yAxis(48_000)).toEqual({ step: 10_000, lines: 5 });
  });

  it('always covers the highest bar with no more than five steps', () => {
    for (const max of [...Array.from({ length: 300 }, (_, i) => i), ...Array.from({ length: 600 }, (_, i) => 300 + i * 37)]) {
      const { step, lines } = yAxis(max);
      expect(step * lines).toBeGreaterThanOrEqual(max);
      expect(lines).toBeLessThanOrEqual(5);
      expect(String(step)).toMatch(/^(1|2|25|5)0*$/);
    }
  });
});
