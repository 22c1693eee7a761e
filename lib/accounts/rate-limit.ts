/**
 * A token bucket per key (e.g. user + organisation): `capacity` attempts at once, refilled at
 * `perMinute`. In process memory: enough to stop a form from being used to scan or brute-force
 * mail servers through this host; it resets on restart.
 */
export function createRateLimiter({ capacity, perMinute, now = Date.now }: { capacity: number; perMinute: number; now?: () => number }) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one token; when none is left, says how long until one is. */
    take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at: t };
      bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 60_000) * perMinute);
      bucket.at = t;
      buckets.set(key, bucket);
      if (buckets.size > 10_000) prune(buckets, t, capacity, perMinute);
      if (bucket.tokens < 1) return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / perMinute) * 60_000) };
      bucket.tokens -= 1;
      return { ok: true };
    },
  };
}

// Full buckets carry no information: forget them.
function prune(buckets: Map<string, { tokens: number; at: number }>, t: number, capacity: number, perMinute: number) {
  for (const [key, bucket] of buckets) if (bucket.tokens + ((t - bucket.at) / 60_000) * perMinute >= capacity) buckets.delete(key);
}

const holder = globalThis as unknown as { threadlineImapFormLimiter?: ReturnType<typeof createRateLimiter> };

/** Connection tests and IMAP links per user and organisation: 10 at once, then 6 a minute. */
export function imapFormLimiter() {
  return (holder.threadlineImapFormLimiter ??= createRateLimiter({ capacity: 10, perMinute: 6 }));
}
