import { createRateLimiter, type RateLimitConfig, type RateLimiter, type TakeResult } from "./rate-limiter";

/**
 * Every limit of the app, in one place. Keys say what is counted; the numbers are attempts allowed
 * at once, then refilled per minute. Generous for people, useless for scripts.
 */
export const RATE_LIMITS = {
  /** Sign-in attempts (email form, OAuth start) per client IP. */
  signInIp: { capacity: 20, perMinute: 10 },
  /** Sign-in attempts per email address, from anywhere. */
  signInEmail: { capacity: 10, perMinute: 5 },
  /** Invitation links created per member and organisation. */
  invitationCreate: { capacity: 20, perMinute: 5 },
  /** Invitation pages opened and acceptances per client IP: token guessing. */
  invitationLookup: { capacity: 30, perMinute: 10 },
  /** IMAP "Test connection" and "Link mailbox" per member and organisation: scanning through us. */
  imapForm: { capacity: 10, perMinute: 6 },
} satisfies Record<string, RateLimitConfig>;

export type RateLimitName = keyof typeof RATE_LIMITS;

type Holder = { threadlineRateLimitClock?: () => number } & Record<string, RateLimiter | undefined>;
const holder = globalThis as unknown as Holder;

/**
 * Takes one attempt from the named limit for `key`. Limiters live on globalThis (one per name, as
 * `threadline<Name>Limiter`) so Next's module copies share them and tests can drop one.
 */
export function takeRateLimit(name: RateLimitName, key: string): TakeResult {
  return limiter(name).take(key);
}

export function limiter(name: RateLimitName): RateLimiter {
  const slot = `threadline${name[0].toUpperCase()}${name.slice(1)}Limiter`;
  return (holder[slot] ??= createRateLimiter({ ...RATE_LIMITS[name], now: () => (holder.threadlineRateLimitClock ?? Date.now)() }));
}

/** Tests: a fake clock for every limiter, and fresh buckets. */
export function setRateLimitClock(now: (() => number) | undefined) {
  holder.threadlineRateLimitClock = now;
}

export function resetRateLimits() {
  for (const name of Object.keys(RATE_LIMITS) as RateLimitName[]) delete holder[`threadline${name[0].toUpperCase()}${name.slice(1)}Limiter`];
}

/** "Too many attempts. Try again in 40 s." — the one sentence every refusal uses. */
export function tooManyAttemptsMessage(retryAfterMs: number, what = "attempts"): string {
  return `Too many ${what}. Try again in ${retryAfterSeconds(retryAfterMs)} s.`;
}

export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** The refusal for route handlers: 429 with Retry-After and the same sentence in JSON. */
export function tooManyRequestsResponse(retryAfterMs: number): Response {
  return Response.json(
    { error: { code: "rate_limited", message: tooManyAttemptsMessage(retryAfterMs) } },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds(retryAfterMs)), "cache-control": "no-store" } },
  );
}
