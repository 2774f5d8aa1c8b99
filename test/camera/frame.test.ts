import { describe, expect, it } from 'vitest';
import { packedPlane, pixelLayout, toLuminance } from '../../renderer/src/camera/frame';

describe('camera frames', () => {
  it('tells RGBA from luminance by length', () => {
    expect(pixelLayout({ data: new Uint8ClampedArray(2 * 3 * 4), width: 2, height: 3 })).toBe('rgba');
    expect(pixelLayout({ data: new Uint8Array(6), width: 2, height: 3 })).toBe('luminance');
    expect(pixelLayout({ data: new Uint8Array(7), width: 2, height: 3 })).toBeNull();
  });

  it('weighs red, green and blue as ZXing does', () => {
    const rgba = Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 200, 200, 200, 255]);
    expect([...toLuminance({ data: rgba, width: 4, height: 1 })]).toEqual([76, 150, 29, 200]);
  });

  it('converts an RGBA view that does not start on a 4-byte boundary', () => {
    const backing = new Uint8ClampedArray(9);
    backing.set([10, 10, 10, 255, 90, 90, 90, 255], 1);
    expect([...toLuminance({ data: backing.subarray(1), width: 2, height: 1 })]).toEqual([10, 90]);
  });

  it('passes luminance through', () => {
    const grey = Uint8Array.from([1, 2, 3, 4]);
    expect([...toLuminance({ data: grey, width: 2, height: 2 })]).toEqual([1, 2, 3, 4]);
  });

  it('refuses data that does not fit the size', () => {
    expect(() => toLuminance({ data: new Uint8Array(5), width: 2, height: 2 })).toThrow(RangeError);
  });
});

describe('video frame planes', () => {
  it('takes a plane without row padding as it is', () => {
    const planes = Uint8Array.from([9, 9, 1, 2, 3, 4, 5, 6, 7, 7]);
    const frame = packedPlane(planes, { offset: 2, stride: 3 }, 3, 2);
    expect([...frame.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(frame.data.buffer).toBe(planes.buffer);
  });

  it('drops the padding at the end of each row', () => {
    const planes = Uint8Array.from([1, 2, 0, 0, 3, 4, 0, 0]);
    expect([...packedPlane(planes, { offset: 0, stride: 4 }, 2, 2).data]).toEqual([1, 2, 3, 4]);
  });
});
