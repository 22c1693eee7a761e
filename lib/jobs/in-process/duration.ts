// Inngest writes durations as "1w2d3h4m5s" (see the SDK's timeStr) and absolute times as ISO strings.
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds in an Inngest duration string ("30s", "1h30m", "2d"); throws on anything else. */
export function parseDuration(value: string): number {
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new Error(`Not an Inngest duration: "${value}"`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit!]!, 0);
}

/** How long to wait for a Sleep op, whose name is either a duration or an ISO timestamp. */
export function sleepMilliseconds(name: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}T/.test(name)) return Math.max(0, Date.parse(name) - now);
  return parseDuration(name);
}

/** A Retry-After value as the SDK sends it: whole seconds, or an ISO date. */
export function retryAfterMilliseconds(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
