// A camera frame as the decoders see it: plain typed arrays, no DOM types, so the same
// decoders run in the renderer's Web Worker and in Node tests and benchmarks.

export interface Frame {
  /** RGBA (4 bytes per pixel, as canvas getImageData gives) or luminance (1 byte per pixel). */
  readonly data: Uint8ClampedArray | Uint8Array;
  readonly width: number;
  readonly height: number;
}

export type PixelLayout = 'rgba' | 'luminance';

/** Which layout a frame's data holds, judged by its length; null when it fits neither. */
export function pixelLayout(frame: Frame): PixelLayout | null {
  const pixels = frame.width * frame.height;
  if (frame.data.length === pixels * 4) return 'rgba';
  if (frame.data.length === pixels) return 'luminance';
  return null;
}

/**
 * The luminance of every pixel (ITU-R BT.601 weights in integer arithmetic, the same
 * weights ZXing uses), returned as is when the frame is already luminance.
 */
export function toLuminance(frame: Frame): Uint8ClampedArray {
  const layout = pixelLayout(frame);
  if (layout === null) throw new RangeError(`frame data does not fit ${frame.width}×${frame.height}`);
  if (layout === 'luminance') {
    return frame.data instanceof Uint8ClampedArray
      ? frame.data
      : new Uint8ClampedArray(frame.data.buffer, frame.data.byteOffset, frame.data.length);
  }
  // Read each pixel as one 32-bit word (little-endian: R in the low byte): about twice as
  // fast as four byte reads, and this runs on every camera frame.
  const rgba = frame.data;
  const words =
    rgba.byteOffset % 4 === 0
      ? new Uint32Array(rgba.buffer, rgba.byteOffset, rgba.length >> 2)
      : new Uint32Array(rgba.slice().buffer);
  const out = new Uint8ClampedArray(words.length);
  for (let p = 0; p < words.length; p++) {
    const w = words[p]!;
    out[p] = (306 * (w & 0xff) + 601 * ((w >>> 8) & 0xff) + 117 * ((w >>> 16) & 0xff) + 512) >> 10;
  }
  return out;
}

/**
 * One plane of a video frame as a luminance frame: rows packed to `width` bytes (video
 * planes may have padding at the end of each row, `stride` ≥ `width`).
 */
export function packedPlane(
  planes: Uint8Array,
  plane: { readonly offset: number; readonly stride: number },
  width: number,
  height: number,
): Frame {
  if (plane.stride === width) return { data: planes.subarray(plane.offset, plane.offset + width * height), width, height };
  const packed = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = plane.offset + y * plane.stride;
    packed.set(planes.subarray(row, row + width), y * width);
  }
  return { data: packed, width, height };
}
