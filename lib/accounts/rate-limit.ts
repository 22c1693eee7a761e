import { limiter } from "@/lib/abuse/rate-limits";

/** Connection tests and IMAP links per user and organisation (RATE_LIMITS.imapForm in lib/abuse). */
export function imapFormLimiter() {
  return limiter("imapForm");
}
