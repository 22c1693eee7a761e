import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";

/** Stops an account until its owner reconnects it (e.g. a refresh token the provider revoked). */
export async function markReconnectNeeded(db: Database, { accountId, reason }: { accountId: string; reason: string }) {
  await db
    .update(mailAccounts)
    .set({
      status: sql`case when ${mailAccounts.status} = 'paused' then ${mailAccounts.status} else 'reconnect_needed'::account_status end`,
      statusReason: reason.slice(0, 1000),
      lastErrorAt: sql`now()`,
      nextSyncAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(mailAccounts.id, accountId));
}
