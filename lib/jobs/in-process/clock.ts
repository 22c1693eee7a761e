export type RunnerClock = { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };

/** Inngest-like exponential back-off: 1 s, 2 s, 4 s … capped at 5 min, with ±20 % jitter. */
export function defaultRetryDelay(attempt: number): number {
  const base = Math.min(300_000, 1_000 * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export const systemClock: RunnerClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      // setTimeout cannot wait longer than ~24.8 days; the caller loops.
      const timer = setTimeout(done, Math.min(Math.max(0, ms), 2 ** 31 - 1));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};
