import type { Database } from "@/db/connect";

/**
 * Refreshes one OAuth account's access token with its refresh token and stores the new tokens
 * (rotated refresh token included). Throws an error with `syncFailureKind: "auth"` (or an
 * `invalid_grant` message) when the grant is gone, anything else for a temporary failure.
 * The implementation lives in lib/oauth; the jobs take it as an argument so they can be tested alone.
 */
export type RefreshAccountToken = (input: { db: Database; accountId: string }) => Promise<{ expiresAt: Date | null }>;
