// Issue 6's end-to-end camera test: Chromium's fake camera plays a video made here (Code 128
// and QR envelope codes, with noise and a little rotation, each held in view for 2 s); the
// scan screen's camera view reads them in its Web Worker and each envelope is recorded
// once — the same path as a scanner read. Closing the view stops the camera.
//
// NEEDS WIRING (architect): the scan screen's `Camera` button opening
// renderer/src/camera/CameraView with onCode → useScanStore.getState().enqueue(text, 'camera').
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { encodeBarcode, formatBarcode } from '../../shared/barcode/barcode';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { writeEnvelopeVideo, type ShownEnvelope } from '../fixtures/cameraVideo';
import { createFirstSupervisor, openTray, scanResult, workOffline } from './desk';
import { startHost, type RunningHost } from './host';

const ELECTION = 1022;
const ENVELOPES: ShownEnvelope[] = [
  { symbology: 'code128', barcode: encodeBarcode(ELECTION, 7001, 1) },
  { symbology: 'qrcode', barcode: encodeBarcode(ELECTION, 7002, 2) },
  { symbology: 'code128', barcode: encodeBarcode(ELECTION, 7003, 1) },
];

let videoDir: string;
let host: RunningHost;
let browser: Browser;

test.beforeEach(async () => {
  videoDir = mkdtempSync(join(tmpdir(), 'ballot-camera-'));
  // 2 s of empty desk, then each envelope for 2 s; 10 s of empty desk before the file loops,
  // so the test is done before any envelope comes round again.
  const video = writeEnvelopeVideo(join(videoDir, 'envelopes.y4m'), ENVELOPES);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video.path}`,
    ],
  });
  host = await startHost();
});

test.afterEach(async () => {
  await browser.close();
  await host.stop();
  rmSync(videoDir, { recursive: true, force: true });
});

test('envelopes held to the camera are recorded, each once; closing stops the camera', async () => {
  const context = await browser.newContext();
  await context.grantPermissions(['camera'], { origin: new URL(host.url).origin });
  const page = await context.newPage();
  // Keep every stream the page opens, to check afterwards that its tracks were stopped.
  await page.addInitScript(() => {
    const opened: MediaStream[] = [];
    (window as unknown as { openedStreams: MediaStream[] }).openedStreams = opened;
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      opened.push(stream);
      return stream;
    };
  });
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(new URL(host.url).origin)) outside.push(request.url());
  });

  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await page.reload();
  await openTray(page, 'T-CAM');

  await page.getByRole('button', { name: 'Camera' }).click();
  await expect(page.getByRole('combobox', { name: 'Camera source' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Camera status' })).toHaveText(
    'Hold the envelope barcode in front of the camera',
    { timeout: 20_000 },
  );

  const lastScans = page.getByRole('region', { name: 'Last scans' }).locator('.recent-verdict');
  const recorded = ENVELOPES.map((e) => `Recorded ${formatBarcode(e.barcode)}`);
  // Shown in order; the last envelope leaves the view ~10 s after the video starts.
  await expect.poll(() => lastScans.allTextContents(), { timeout: 30_000 }).toEqual([...recorded].reverse());
  await expect(scanResult(page)).toHaveText(recorded.at(-1)!);
  // The last envelope stays in view a while and the desk stays empty: no further reads.
  await page.waitForTimeout(3_000);
  expect(await lastScans.allTextContents()).toEqual([...recorded].reverse());

  await page.getByRole('button', { name: 'Close camera' }).click();
  await expect(page.getByRole('combobox', { name: 'Camera source' })).toBeHidden();
  const trackStates = await page.evaluate(() =>
    (window as unknown as { openedStreams: MediaStream[] }).openedStreams.flatMap((s) =>
      s.getTracks().map((t) => t.readyState),
    ),
  );
  expect(trackStates.length).toBeGreaterThan(0);
  expect(trackStates.every((state) => state === 'ended')).toBe(true);
  // The .wasm came from the app's own files, never from a CDN.
  expect(outside).toEqual([]);

  await host.stop();
  const db = new Database(join(host.dataDir, 'ballot-intake.sqlite'), { readonly: true });
  const stored = db.prepare('SELECT barcode FROM receipts ORDER BY seq').all() as Array<{ barcode: string }>;
  db.close();
  expect(stored.map((r) => r.barcode)).toEqual(ENVELOPES.map((e) => e.barcode));
});
