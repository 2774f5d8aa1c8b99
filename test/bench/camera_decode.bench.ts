// camera_decode (contracts.md §5): both camera decoders on the same generated 1280×720 frames —
// Code 128, QR and Data Matrix envelope codes at random positions, rotated up to ±5°, on a
// grey desk with noise, plus blank frames — one JSON line per decoder.
//
// Frames are given as the decode worker gets them from Chromium's camera: the luminance plane
// of an I420 VideoFrame (p50_ms, p99_ms). Where a browser has no VideoFrame the worker gets
// RGBA from a canvas and converts it: rgba_p50_ms, rgba_p99_ms time that path on the same frames.
// cpu_p50_ms/cpu_p99_ms are this process's CPU time per (luminance) frame, which changes less
// than wall-clock time when other work shares the machine (load_avg_1m says how busy it was).
// Each frame is decoded ROUNDS times and its median time counts, so that a moment when the
// machine was busy with something else does not pass for the decoder's own cost.
//
// decode_rate: frames read right ÷ frames that carry a code. A read on a blank frame or a
// wrong text is counted apart (false_reads, wrong_reads); both must stay 0.
import { cpus, loadavg } from 'node:os';
import { DECODER_NAMES, DEFAULT_DECODER, type BarcodeDecoder } from '../../renderer/src/camera/decoder';
import type { Frame } from '../../renderer/src/camera/frame';
import { nodeDecoder } from '../fixtures/cameraDecoders';
import { envelopeFrameSet, toRgbaFrame } from '../fixtures/frames';
import { percentile, printFigure, round } from './measure';

const PER_SYMBOLOGY = 30;
const BLANK = 10;
const WARM_UP_FRAMES = 3;
const ROUNDS = 3;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

interface Timed {
  text: string | null;
  wallMs: number;
  cpuMs: number;
}

/** Decodes the frame ROUNDS times; the median times, and the text (the same every round). */
async function timedDecode(decoder: BarcodeDecoder, frame: Frame): Promise<Timed> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let text: string | null = null;
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const decoded = await decoder.decode(frame);
    const used = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
    if (r > 0 && decoded !== text) throw new Error(`${decoder.name} read ${text} then ${decoded} on one frame`);
    text = decoded;
  }
  return { text, wallMs: median(wall), cpuMs: median(cpu) };
}

const set = envelopeFrameSet({ perSymbology: PER_SYMBOLOGY, blank: BLANK, seed: 20261125 });
const withCode = set.filter((f) => f.expected !== null).length;

for (const name of DECODER_NAMES) {
  const decoder = await nodeDecoder(name);
  // JIT and WebAssembly tiering: the first frames are not what a running camera sees.
  for (const f of set.slice(0, WARM_UP_FRAMES)) await decoder.decode(toRgbaFrame(f));

  const wall: number[] = [];
  const cpu: number[] = [];
  const rgbaWall: number[] = [];
  let read = 0;
  let falseReads = 0;
  let wrongReads = 0;
  const readBySymbology: Record<string, number> = {};
  for (const f of set) {
    const luminance = await timedDecode(decoder, { data: f.luminance, width: f.width, height: f.height });
    const rgba = await timedDecode(decoder, toRgbaFrame(f));
    if (rgba.text !== luminance.text) throw new Error(`${name} reads RGBA and luminance differently`);
    wall.push(luminance.wallMs);
    cpu.push(luminance.cpuMs);
    rgbaWall.push(rgba.wallMs);
    const text = luminance.text;
    if (f.expected === null) {
      if (text !== null) falseReads++;
    } else if (text === f.expected) {
      read++;
      readBySymbology[f.symbology!] = (readBySymbology[f.symbology!] ?? 0) + 1;
    } else if (text !== null) {
      wrongReads++;
    }
  }
  for (const times of [wall, cpu, rgbaWall]) times.sort((a, b) => a - b);
  printFigure({
    bench: 'camera_decode',
    decoder: name,
    default: name === DEFAULT_DECODER,
    frames: set.length,
    decode_rate: round(read / withCode, 4),
    p50_ms: round(percentile(wall, 50), 2),
    p99_ms: round(percentile(wall, 99), 2),
    width: set[0]!.width,
    height: set[0]!.height,
    rgba_p50_ms: round(percentile(rgbaWall, 50), 2),
    rgba_p99_ms: round(percentile(rgbaWall, 99), 2),
    cpu_p50_ms: round(percentile(cpu, 50), 2),
    cpu_p99_ms: round(percentile(cpu, 99), 2),
    code_frames: withCode,
    blank_frames: set.length - withCode,
    code128_read: readBySymbology.code128 ?? 0,
    qrcode_read: readBySymbology.qrcode ?? 0,
    datamatrix_read: readBySymbology.datamatrix ?? 0,
    false_reads: falseReads,
    wrong_reads: wrongReads,
    load_avg_1m: round(loadavg()[0]!, 2),
    cpus: cpus().length,
  });
}
