// How often accounts are synced and how failing ones back off. Times are the database's (now()),
// so several hosts agree.

export const SYNCABLE_STATUSES = ["connecting", "syncing", "active", "error"] as const;

/** Poll interval for folders the IDLE watcher does not cover (and for every folder without it). */
export function syncIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.THREADLINE_SYNC_INTERVAL_SECONDS ?? 300);
  return Number.isFinite(seconds) && seconds >= 10 ? seconds * 1000 : 300_000;
}

/** Delay before the next attempt after `failures` consecutive failed syncs: 1 min doubling to 6 h, ±10 %. */
export function failureBackoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(6 * 3_600_000, 60_000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.9 + random() * 0.2));
}

/** Time and size bounds of one sync step, so a serverless host never times out mid-step. */
export function syncStepBudget(env: Record<string, string | undefined> = process.env): { maxMs: number; maxMessages: number } {
  return {
    maxMs: positive(env.THREADLINE_SYNC_STEP_SECONDS, 20) * 1000,
    maxMessages: positive(env.THREADLINE_SYNC_STEP_MESSAGES, 2000),
  };
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
