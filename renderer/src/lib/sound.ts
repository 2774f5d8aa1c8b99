// A distinct short sound for each verdict (Web Audio, no files): one high beep for
// Recorded, two soft mid beeps for Already recorded, a falling three-note call for Flagged
// and a low buzz for Rejected — told apart without looking at the screen. A read the app did
// not record (and a scan into the sign-in screen) gets the same low buzz: scan it again.
import type { ScanVerdict } from '../../../shared/api/types';

export type Sounded = ScanVerdict['verdict'] | 'not_recorded';

type Note = { hz: number; ms: number; wave: OscillatorType; gap?: number };

const SOUNDS: Record<Sounded, Note[]> = {
  recorded: [{ hz: 1320, ms: 90, wave: 'sine' }],
  already_recorded: [
    { hz: 880, ms: 70, wave: 'sine', gap: 60 },
    { hz: 880, ms: 70, wave: 'sine' },
  ],
  flagged: [
    { hz: 988, ms: 110, wave: 'triangle', gap: 30 },
    { hz: 784, ms: 110, wave: 'triangle', gap: 30 },
    { hz: 587, ms: 160, wave: 'triangle' },
  ],
  rejected: [{ hz: 180, ms: 380, wave: 'square' }],
  not_recorded: [{ hz: 180, ms: 380, wave: 'square' }],
};

let context: AudioContext | null = null;

export function playVerdict(verdict: Sounded): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    let t = context.currentTime + 0.01;
    for (const note of SOUNDS[verdict]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = note.wave;
      osc.frequency.value = note.hz;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + note.ms / 1000);
      osc.connect(gain).connect(context.destination);
      osc.start(t);
      osc.stop(t + note.ms / 1000 + 0.02);
      t += (note.ms + (note.gap ?? 0)) / 1000;
    }
  } catch {
    // No audio device: the colour and the words still say it.
  }
}
