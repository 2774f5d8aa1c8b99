// camera_decode (contracts.md §5): both camera decoders on the same generated 1280×720 frames —
// Code 128, QR and Data Matrix envelope codes at random positions, rotated up to ±5°, on a
// grey desk with noise, plus blank frames — one JSON line per decoder. Frames are RGBA, as
// the worker gets them from the canvas, so the time includes the luminance conversion.
//
// decode_rate: frames read right ÷ frames that carry a code. A read on a blank frame or a
// wrong text is counted apart (false_reads, wrong_reads); both must stay 0.
// p50_ms/p99_ms are wall-clock per frame; cpu_p50_ms/cpu_p99_ms are this process's CPU time
// per frame, which stays meaningful when other work shares the machine (load_avg_1m says so).
// Each frame is decoded ROUNDS times and its median time counts, so that a moment when the
// machine was busy with something else does not pass for the decoder's own cost.
import { cpus, loadavg } from 'node:os';
import { DECODER_NAMES, DEFAULT_DECODER } from '../../renderer/src/camera/decoder';
import { nodeDecoder } from '../fixtures/cameraDecoders';
import { envelopeFrameSet, toRgbaFrame } from '../fixtures/frames';
import { percentile, printFigure, round } from './measure';

const PER_SYMBOLOGY = 30;
const BLANK = 10;
const WARM_UP_FRAMES = 3;
const ROUNDS = 3;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const set = envelopeFrameSet({ perSymbology: PER_SYMBOLOGY, blank: BLANK, seed: 20261125 });
const frames = set.map((f) => ({ expected: f.expected, symbology: f.symbology, rgba: toRgbaFrame(f) }));
const withCode = frames.filter((f) => f.expected !== null).length;

for (const name of DECODER_NAMES) {
  const decoder = await nodeDecoder(name);
  // JIT and WebAssembly tiering: the first frames are not what a running camera sees.
  for (const f of frames.slice(0, WARM_UP_FRAMES)) await decoder.decode(f.rgba);

  const times: number[] = [];
  const cpuTimes: number[] = [];
  let read = 0;
  let falseReads = 0;
  let wrongReads = 0;
  const readBySymbology: Record<string, number> = {};
  for (const f of frames) {
    const wall: number[] = [];
    const cpu: number[] = [];
    let text: string | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const decoded = await decoder.decode(f.rgba);
      const used = process.cpuUsage(cpuStarted);
      wall.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
      // Decoding is deterministic: every round must read the same.
      if (round > 0 && decoded !== text) throw new Error(`${name} read ${text} then ${decoded} on one frame`);
      text = decoded;
    }
    times.push(median(wall));
    cpuTimes.push(median(cpu));
    if (f.expected === null) {
      if (text !== null) falseReads++;
    } else if (text === f.expected) {
      read++;
      readBySymbology[f.symbology!] = (readBySymbology[f.symbology!] ?? 0) + 1;
    } else if (text !== null) {
      wrongReads++;
    }
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  printFigure({
    bench: 'camera_decode',
    decoder: name,
    default: name === DEFAULT_DECODER,
    frames: frames.length,
    decode_rate: round(read / withCode, 4),
    p50_ms: round(percentile(times, 50), 2),
    p99_ms: round(percentile(times, 99), 2),
    cpu_p50_ms: round(percentile(cpuTimes, 50), 2),
    cpu_p99_ms: round(percentile(cpuTimes, 99), 2),
    width: set[0]!.width,
    height: set[0]!.height,
    code_frames: withCode,
    blank_frames: frames.length - withCode,
    code128_read: readBySymbology.code128 ?? 0,
    qrcode_read: readBySymbology.qrcode ?? 0,
    datamatrix_read: readBySymbology.datamatrix ?? 0,
    false_reads: falseReads,
    wrong_reads: wrongReads,
    load_avg_1m: round(loadavg()[0]!, 2),
    cpus: cpus().length,
  });
}
