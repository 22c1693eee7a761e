export type RateLimitConfig = { capacity: number; perMinute: number };
export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };
export type RateLimiter = { take(key: string): TakeResult };

/**
 * A token bucket per key: `capacity` attempts at once, refilled at `perMinute`. In process memory:
 * enough to stop a form or an endpoint from being used to brute-force, scan or guess through this
 * host; it resets on restart (one Next process owns the data in every deployment we support).
 */
export function createRateLimiter({ capacity, perMinute, now = Date.now }: RateLimitConfig & { now?: () => number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one token; when none is left, says how long until one is. */
    take(key: string): TakeResult {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at: t };
      // max(0, …): a clock that steps back (tests, NTP) must not drain the bucket.
      const tokens = Math.min(capacity, bucket.tokens + (Math.max(0, t - bucket.at) / 60_000) * perMinute);
      // A refusal changes nothing, so the wait it announces is exact; the epsilon absorbs float error.
      if (tokens < 1 - 1e-9) return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) / perMinute) * 60_000) };
      buckets.set(key, { tokens: tokens - 1, at: t });
      if (buckets.size > 10_000) prune(buckets, t, capacity, perMinute);
      return { ok: true };
    },
  };
}

// Full buckets carry no information: forget them.
function prune(buckets: Map<string, { tokens: number; at: number }>, t: number, capacity: number, perMinute: number) {
  for (const [key, bucket] of buckets) if (bucket.tokens + ((t - bucket.at) / 60_000) * perMinute >= capacity) buckets.delete(key);
}
