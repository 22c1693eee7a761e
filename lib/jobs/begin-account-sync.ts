import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, syncRuns } from "@/db/schema";

export type BeginAccountSyncResult = { started: true; orgId: string } | { started: false; reason: string };

// A pass is bounded to seconds in the jobs; one still "running" after this was cut off by a crash.
const STALE_RUN_MS = 30 * 60_000;

/**
 * Says whether an account should be synced now (not deleted, paused or waiting for the user to
 * reconnect) and claims it until now + intervalMs: a sync request arriving while the run works pulls
 * `nextSyncAt` back to now, which is how the run knows to go round again.
 */
export async function beginAccountSync(db: Database, { accountId, intervalMs }: { accountId: string; intervalMs: number }): Promise<BeginAccountSyncResult> {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .select({ orgId: mailAccounts.orgId, status: mailAccounts.status })
      .from(mailAccounts)
      .where(eq(mailAccounts.id, accountId))
      .for("update");
    if (!account) return { started: false, reason: "account no longer exists" };
    if (account.status === "paused") return { started: false, reason: "account is paused" };
    if (account.status === "reconnect_needed") return { started: false, reason: "account needs to be reconnected" };

    await tx
      .update(mailAccounts)
      .set({ nextSyncAt: sql`now() + ${intervalMs} * interval '1 millisecond'` })
      .where(and(eq(mailAccounts.id, accountId), eq(mailAccounts.orgId, account.orgId)));
    await tx
      .update(syncRuns)
      .set({ outcome: "failed", finishedAt: sql`now()`, errorKind: "interrupted", error: "The process stopped before this sync finished" })
      .where(
        and(
          eq(syncRuns.accountId, accountId),
          eq(syncRuns.orgId, account.orgId),
          eq(syncRuns.outcome, "running"),
          lt(syncRuns.startedAt, sql`now() - ${STALE_RUN_MS} * interval '1 millisecond'`),
        ),
      );
    return { started: true, orgId: account.orgId };
  });
}
