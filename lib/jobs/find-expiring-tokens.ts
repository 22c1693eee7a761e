import { and, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { SYNCABLE_STATUSES } from "./sync-policy";

/** OAuth accounts whose access token expires within `withinMs` (every organisation: a system job). */
export async function findExpiringTokens(db: Database, { withinMs, limit = 500 }: { withinMs: number; limit?: number }) {
  return db
    .select({ id: mailAccounts.id, orgId: mailAccounts.orgId })
    .from(mailAccounts)
    .where(
      and(
        eq(mailAccounts.authKind, "oauth2"),
        isNotNull(mailAccounts.encryptedRefreshToken),
        inArray(mailAccounts.status, [...SYNCABLE_STATUSES]),
        lte(mailAccounts.tokenExpiresAt, sql`now() + ${withinMs} * interval '1 millisecond'`),
      ),
    )
    .orderBy(mailAccounts.tokenExpiresAt)
    .limit(limit);
}
