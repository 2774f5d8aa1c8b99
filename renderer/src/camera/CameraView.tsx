// The camera part of the scan screen: a camera picker, the live preview and a Close
// button. Every distinct code it reads is passed to `onCode` once — the caller sends it
// down exactly the same path as a scanner read. Closing the view stops the camera.
import { useId, useRef, useState } from 'react';
import { useCameraStream } from './cameraStream';
import { DEFAULT_DECODER, type DecoderName } from './decoder';
import { useFrameReading } from './frameReading';

export interface CameraViewProps {
  /** Called once per distinct code in view (again only after it left the view for ~2 s). */
  onCode(text: string): void;
  /** The operator pressed Close; the caller unmounts the view, which stops the camera. */
  onClose(): void;
  /** The decoder chosen in Settings; zxing-wasm unless changed. */
  decoder?: DecoderName;
}

export function CameraView({ onCode, onClose, decoder = DEFAULT_DECODER }: CameraViewProps) {
  const [chosenDevice, setChosenDevice] = useState<string | null>(null);
  const { state, sources } = useCameraStream(chosenDevice);
  const video = useRef<HTMLVideoElement | null>(null);
  const decoderState = useFrameReading(video, state.kind === 'live', decoder, onCode);
  const pickerId = useId();

  const attach = (element: HTMLVideoElement | null) => {
    video.current = element;
    if (element !== null && state.kind === 'live' && element.srcObject !== state.stream) {
      element.srcObject = state.stream;
      // Autoplay of a muted preview is allowed; a refusal only leaves the preview still.
      void element.play().catch(() => undefined);
    }
  };

  const status =
    state.kind === 'opening'
      ? 'Opening the camera…'
      : state.kind === 'failed'
        ? state.reason
        : decoderState.kind === 'unavailable'
          ? `Codes cannot be read: ${decoderState.reason}`
          : decoderState.kind === 'starting'
            ? 'Starting the barcode reader…'
            : 'Hold the envelope barcode in front of the camera';

  const selected = chosenDevice ?? (state.kind === 'live' ? (state.deviceId ?? '') : '');

  return (
    <section aria-label="Camera view" className="camera-view">
      <label htmlFor={pickerId}>Camera source</label>
      <select
        id={pickerId}
        value={selected}
        onChange={(event) => setChosenDevice(event.target.value)}
        disabled={sources.length === 0}
      >
        {sources.length === 0 && <option value="">Default camera</option>}
        {sources.map((source) => (
          <option key={source.deviceId} value={source.deviceId}>
            {source.label}
          </option>
        ))}
      </select>
      {/* No camera (or it was refused): the reason where the picture would be, never an empty black box above it. */}
      {state.kind !== 'failed' && <video ref={attach} aria-label="Camera preview" muted playsInline autoPlay />}
      <p role="status" aria-label="Camera status" className={state.kind === 'failed' ? 'camera-failed' : undefined}>
        {status}
      </p>
      <button type="button" onClick={onClose}>
        Close camera
      </button>
    </section>
  );
}
