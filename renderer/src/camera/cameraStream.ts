// The camera itself: opens the chosen camera (or the default one), lists the cameras for
// the picker, and stops every track when the view closes or the camera is switched —
// a track left running keeps the camera's light on and the device busy.
import { useEffect, useState } from 'react';

export interface CameraSource {
  readonly deviceId: string;
  readonly label: string;
}

export type CameraState =
  | { readonly kind: 'opening' }
  | { readonly kind: 'live'; readonly stream: MediaStream; readonly deviceId: string | null }
  | { readonly kind: 'failed'; readonly reason: string };

// A 720p stream keeps Code 128 modules at 2 px or more at a comfortable distance.
const PREFERRED_SIZE = { width: { ideal: 1280 }, height: { ideal: 720 } };

export function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Words the operator can act on for why the camera did not open. */
export function cameraFailureReason(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
      return 'Camera access was refused';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera found';
    case 'NotReadableError':
      return 'The camera is in use by another program';
    default:
      return `The camera could not be opened${error instanceof Error ? `: ${error.message}` : ''}`;
  }
}

async function listCameras(): Promise<CameraSource[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

/** Opens `deviceId` (null: the system's default camera) for as long as the caller is mounted. */
export function useCameraStream(deviceId: string | null): { state: CameraState; sources: CameraSource[] } {
  const [state, setState] = useState<CameraState>({ kind: 'opening' });
  const [sources, setSources] = useState<CameraSource[]>([]);

  useEffect(() => {
    let closed = false;
    let stream: MediaStream | null = null;
    setState({ kind: 'opening' });
    const video = deviceId === null ? PREFERRED_SIZE : { ...PREFERRED_SIZE, deviceId: { exact: deviceId } };
    navigator.mediaDevices
      .getUserMedia({ video, audio: false })
      .then(async (opened) => {
        // Closed (or switched) while the camera was opening: let it go at once.
        if (closed) return stopTracks(opened);
        stream = opened;
        const settings = opened.getVideoTracks()[0]?.getSettings();
        setState({ kind: 'live', stream: opened, deviceId: settings?.deviceId ?? deviceId });
        // Device labels are only given once a camera has been allowed.
        const cameras = await listCameras();
        if (!closed) setSources(cameras);
      })
      .catch((error: unknown) => {
        if (!closed) setState({ kind: 'failed', reason: cameraFailureReason(error) });
      });
    return () => {
      closed = true;
      if (stream !== null) stopTracks(stream);
    };
  }, [deviceId]);

  return { state, sources };
}
