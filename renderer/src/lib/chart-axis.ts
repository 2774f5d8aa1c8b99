// The y axis of the dashboard's charts: round numbers a person reads at a glance.

/** The y axis: a round step (1, 2, 2.5 or 5 times a power of ten) and at most 5 steps up to the top. */
export function yAxis(max: number): { step: number; lines: number } {
  const m = Math.max(1, max);
  const power = 10 ** Math.floor(Math.log10(m / 5));
  const step = Math.max(1, [1, 2, 2.5, 5, 10].map((k) => k * power).find((s) => Number.isInteger(s) && Math.ceil(m / s) <= 5)!);
  return { step, lines: Math.ceil(m / step) };
}
