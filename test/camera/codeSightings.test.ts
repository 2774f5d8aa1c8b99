import { describe, expect, it } from 'vitest';
import { CodeSightings, GONE_AFTER_MS } from '../../renderer/src/camera/codeSightings';

const A = '1022000123456188';
const B = '1022000123456285';

describe('code sightings', () => {
  it('reports a code held in view once', () => {
    const sightings = new CodeSightings();
    const reports = [0, 100, 200, 1500, 3000, 4900].map((t) => sightings.sighted(A, t));
    expect(reports).toEqual([true, false, false, false, false, false]);
  });

  it('reports a different code at once', () => {
    const sightings = new CodeSightings();
    expect(sightings.sighted(A, 0)).toBe(true);
    expect(sightings.sighted(B, 300)).toBe(true);
  });

  it('reports the same code again after it was out of view for the gap', () => {
    const sightings = new CodeSightings();
    expect(sightings.sighted(A, 0)).toBe(true);
    expect(sightings.sighted(A, 1000)).toBe(false);
    // Last seen at 1000 ms: just under the gap later it is still the same scan…
    expect(sightings.sighted(A, 1000 + GONE_AFTER_MS - 1)).toBe(false);
    // …and after a full gap without a sighting it is a new one.
    expect(sightings.sighted(A, 1000 + 2 * GONE_AFTER_MS)).toBe(true);
  });

  it('bridges frames where decoding missed a code still in view', () => {
    const sightings = new CodeSightings();
    sightings.sighted(A, 0);
    // A few missed frames (no sightings) between 0 and 1200 ms: still the same scan.
    expect(sightings.sighted(A, 1200)).toBe(false);
  });
});
