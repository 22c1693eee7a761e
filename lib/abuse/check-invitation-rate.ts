import { rateLimited } from "@/lib/tenancy/errors";
import { clientIp } from "./client-ip";
import { takeRateLimit, tooManyAttemptsMessage } from "./rate-limits";

/**
 * One look at an invitation token (opening /invite/<token>, accepting it) from this client.
 * Tokens are 256-bit, so guessing is hopeless anyway; the limit keeps it from costing us a query per
 * guess. Throws the rate_limited AppError ("Too many attempts. Try again in 40 s.").
 */
export function checkInvitationLookupRate(headers: { get(name: string): string | null }): void {
  const taken = takeRateLimit("invitationLookup", clientIp(headers));
  if (!taken.ok) throw rateLimited(tooManyAttemptsMessage(taken.retryAfterMs));
}
