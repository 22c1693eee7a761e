import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { SYNCABLE_STATUSES } from "./sync-policy";

/**
 * True while a sync request for the account has not been taken up by a run (`nextSyncAt` still due).
 * A request that lands in the instant a run is finishing is dropped by the one-run-per-account rule;
 * whoever needs it served quickly checks this and asks again.
 */
export async function isSyncPending(db: Database, accountId: string): Promise<boolean> {
  const rows = await db
    .select({ id: mailAccounts.id })
    .from(mailAccounts)
    .where(and(eq(mailAccounts.id, accountId), inArray(mailAccounts.status, [...SYNCABLE_STATUSES]), lte(mailAccounts.nextSyncAt, sql`now()`)));
  return rows.length > 0;
}
