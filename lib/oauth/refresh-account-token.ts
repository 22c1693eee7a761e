import type { Database } from "@/db/connect";
import { tokenRefresher } from "./get-fresh-access-token";

// The refresh job runs every five minutes for tokens expiring within fifteen, so a token is renewed
// well before a sync would have to wait for it.
const JOB_MARGIN_MS = 15 * 60_000;

/**
 * The refresh-account-token job's work (lib/jobs/token-refresher's RefreshAccountToken). Errors
 * carry `syncFailureKind`: "auth" when the grant is gone (the account is already in
 * reconnect_needed), "transient" for a provider outage, "permanent" for a rejected OAuth client.
 */
export async function refreshAccountToken({ db, accountId }: { db: Database; accountId: string }): Promise<{ expiresAt: Date | null }> {
  const { expiresAt } = await tokenRefresher().getFreshToken(db, accountId, { minValidityMs: JOB_MARGIN_MS });
  return { expiresAt };
}
