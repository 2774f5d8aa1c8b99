// A small admission gate: at most `limit` receipt batches inside the database at once. Big
// batches queue here, in the process, instead of in front of the database, so a redemption
// (one short transaction) never waits behind a long line of 500-receipt batches. It admits a few
// fewer than the pool's connections (embedded or external PostgreSQL alike).
export interface Gate {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function admissionGate(limit: number): Gate {
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(work) {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next(); // hand the slot over directly
        else active--;
      }
    },
  };
}
