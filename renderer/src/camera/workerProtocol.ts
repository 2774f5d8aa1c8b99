// The messages between the camera view and its decode worker. A frame travels as a
// VideoFrame (or, where there is none, an ImageBitmap), transferred rather than copied; the
// worker reads its pixels on its own thread.
import type { DecoderName } from './decoder';

export type CameraImage = VideoFrame | ImageBitmap;

export type ToDecodeWorker =
  | { readonly type: 'start'; readonly decoder: DecoderName }
  | { readonly type: 'frame'; readonly id: number; readonly image: CameraImage };

export type FromDecodeWorker =
  | { readonly type: 'ready'; readonly decoder: DecoderName }
  /** the decoder could not be started (e.g. the .wasm could not be loaded) */
  | { readonly type: 'unavailable'; readonly decoder: DecoderName; readonly reason: string }
  | { readonly type: 'decoded'; readonly id: number; readonly text: string | null; readonly ms: number };
