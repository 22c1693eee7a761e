import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";

/**
 * Makes the account due now. Sent alongside every sync request: if a sync is already running the
 * request event is dropped (one run per account), and this is what tells the running sync to go
 * round again instead. Returns the account's status, or null if it does not exist.
 */
export async function markSyncRequested(db: Database, { orgId, accountId }: { orgId: string; accountId: string }): Promise<string | null> {
  const [row] = await db
    .update(mailAccounts)
    .set({ nextSyncAt: sql`now()` })
    .where(and(eq(mailAccounts.orgId, orgId), eq(mailAccounts.id, accountId)))
    .returning({ status: mailAccounts.status });
  return row?.status ?? null;
}
