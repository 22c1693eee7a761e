import type { Database } from "@/db/connect";

/**
 * Refreshes one OAuth account's access token with its refresh token and stores the new tokens
 * (rotated refresh token included). Throws an error with `syncFailureKind: "auth"` (or an
 * `invalid_grant` message) when the grant is gone, anything else for a temporary failure.
 * The real implementation arrives with the OAuth issue (lib/oauth/refresh-account-token.ts).
 */
export type RefreshAccountToken = (input: { db: Database; accountId: string }) => Promise<{ expiresAt: Date | null }>;

/** Stand-in until lib/oauth exists: refreshes nothing and says so. */
export const tokenRefreshUnavailable: RefreshAccountToken = async () => {
  throw Object.assign(new Error("OAuth token refresh is not available in this version"), { syncFailureKind: "permanent" });
};
