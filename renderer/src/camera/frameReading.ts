// Reads codes from the live preview: grabs a frame from the <video>, has the decode worker
// decode it, and passes each distinct code on once (CodeSightings). One frame is in flight
// at a time, with a short pause between frames so that a 2-core desk PC keeps room for
// the rest of the app.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { CodeSightings } from './codeSightings';
import type { DecoderName } from './decoder';
import { startDecodeWorker, type DecodeWorkerClient, type DecoderState } from './decodeWorkerClient';
import type { CameraImage } from './workerProtocol';

const PAUSE_BETWEEN_FRAMES_MS = 30;
const HAVE_CURRENT_DATA = 2;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The frame now shown by the video: a VideoFrame where the browser has WebCodecs (its
 * luminance plane goes to the decoder as is), else an ImageBitmap; null between frames.
 */
async function grabFrame(video: HTMLVideoElement): Promise<CameraImage | null> {
  if (typeof VideoFrame === 'function') {
    try {
      return new VideoFrame(video);
    } catch {
      // Not ready (or not supported for this video): the bitmap path below may still work.
    }
  }
  return createImageBitmap(video).catch(() => null);
}

export function useFrameReading(
  video: RefObject<HTMLVideoElement | null>,
  live: boolean,
  decoder: DecoderName,
  onCode: (text: string) => void,
): DecoderState {
  const [decoderState, setDecoderState] = useState<DecoderState>({ kind: 'starting' });
  // The latest onCode, without restarting the worker when the parent re-renders.
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  // One set of sightings per camera view: switching camera or decoder is not a new scan.
  const [sightings] = useState(() => new CodeSightings());

  // The worker lives as long as the decoder choice: it loads (the .wasm, for zxing-wasm)
  // while the camera opens, and survives switching cameras.
  const [worker, setWorker] = useState<DecodeWorkerClient | null>(null);
  useEffect(() => {
    const started = startDecodeWorker(decoder, setDecoderState);
    setWorker(started);
    return () => {
      started.stop();
      setWorker(null);
    };
  }, [decoder]);

  useEffect(() => {
    if (!live || worker === null) return;
    let running = true;
    void (async () => {
      while (running) {
        const element = video.current;
        if (element === null || element.readyState < HAVE_CURRENT_DATA || element.videoWidth === 0) {
          await pause(PAUSE_BETWEEN_FRAMES_MS);
          continue;
        }
        const image = await grabFrame(element);
        if (image === null) {
          // The video was between frames or being switched: try the next one.
          await pause(PAUSE_BETWEEN_FRAMES_MS);
          continue;
        }
        if (!running) {
          image.close();
          break;
        }
        const text = await worker.decode(image);
        if (running && text !== null && sightings.sighted(text, performance.now())) {
          onCodeRef.current(text);
        }
        await pause(PAUSE_BETWEEN_FRAMES_MS);
      }
    })();
    return () => {
      running = false;
    };
  }, [video, live, worker, sightings]);

  return decoderState;
}
