// A one-line progress bar for a terminal (stderr), redrawn at most a few times a second.
export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; finish(): void } {
  const started = Date.now();
  let last = 0;
  const draw = (done: number, total: number): void => {
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const mb = (n: number): string => (n / 1048576).toFixed(1);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${mb(done)}/${mb(total)} MB ${mb(done / seconds)} MB/s`;
    out.write(out.isTTY ? `\r${line}` : `${line}\n`);
  };
  return {
    update(done, total) {
      const now = Date.now();
      // not a TTY (CI logs): a line every 2 s; a TTY: redraw at 10 Hz
      if (now - last < (out.isTTY ? 100 : 2000) && done < total) return;
      last = now;
      draw(done, total);
    },
    finish() {
      if (out.isTTY) out.write('\n');
    },
  };
}
