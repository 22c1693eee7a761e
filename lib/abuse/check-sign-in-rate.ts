import { clientIp } from "./client-ip";
import { takeRateLimit } from "./rate-limits";

/**
 * One sign-in attempt (email form, credentials callback, OAuth start) from this client, for this
 * address when there is one. Null when allowed, else how long to wait. Both buckets are charged
 * so a flood from one IP and a flood at one address are each stopped.
 */
export function checkSignInRate(headers: { get(name: string): string | null }, email?: string | null): { retryAfterMs: number } | null {
  const byIp = takeRateLimit("signInIp", clientIp(headers));
  const normalized = email?.trim().toLowerCase();
  const byEmail = normalized ? takeRateLimit("signInEmail", normalized) : { ok: true as const };
  const waits = [byIp, byEmail].flatMap((taken) => (taken.ok ? [] : [taken.retryAfterMs]));
  return waits.length ? { retryAfterMs: Math.max(...waits) } : null;
}
