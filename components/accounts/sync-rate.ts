// Rate and time left from recent progress samples, per folder: a sliding window so a burst at the
// start (or a pause) does not skew the estimate for long.

export type Sample = { at: number; synced: number };

const WINDOW_MS = 15_000;

export function addSample(samples: Sample[], sample: Sample): Sample[] {
  const last = samples[samples.length - 1];
  // A count that went down (resync, reset) starts a new series.
  const kept = last && sample.synced < last.synced ? [] : samples.filter((s) => sample.at - s.at <= WINDOW_MS);
  return [...kept, sample];
}

/** Messages per second over the window, or null until there are two samples a second apart. */
export function rateOf(samples: Sample[]): number | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const seconds = (last.at - first.at) / 1000;
  if (seconds < 1) return null;
  return Math.max(0, (last.synced - first.synced) / seconds);
}

export function secondsLeft(rate: number | null, synced: number, total: number): number | null {
  if (!rate || rate <= 0 || total <= synced) return null;
  return (total - synced) / rate;
}

export function formatRate(rate: number): string {
  return rate >= 100 ? `${Math.round(rate).toLocaleString("en")} msg/s` : `${rate.toFixed(rate >= 10 ? 0 : 1)} msg/s`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}
