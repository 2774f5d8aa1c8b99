// Electron on Linux needs an X or Wayland display. Where there is none (CI), start a virtual one
// with Xvfb for the test's Electron process; where Xvfb is not installed either, say what to do.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export type Display = { env: Record<string, string>; stop(): void } | { error: string };

export async function ensureDisplay(): Promise<Display> {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { env: {}, stop() {} };
  if (spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' }).status !== 0) {
    return { error: 'Electron needs a display and there is none: install Xvfb (apt-get install -y xvfb) or run under `xvfb-run -a`' };
  }
  for (let number = 90; number < 100; number++) {
    const xvfb: ChildProcess = spawn('Xvfb', [`:${number}`, '-screen', '0', '1366x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    // A display number already in use makes Xvfb exit at once; one that works keeps running.
    const exited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 1000);
      xvfb.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!exited) return { env: { DISPLAY: `:${number}` }, stop: () => xvfb.kill() };
  }
  return { error: 'Xvfb could not start on any display :90 to :99' };
}
