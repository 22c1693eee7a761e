import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, syncRuns } from "@/db/schema";
import type { SyncFailure } from "./sync-failure";
import { failureBackoffMs } from "./sync-policy";

/**
 * After a sync run failed for good: schedules the account's next attempt (exponential back-off on
 * consecutive failures, or none after an auth failure: the user must reconnect). When the sync core
 * already recorded the failure on the account and its sync run (`failure.recorded`), only the
 * schedule is set; otherwise (the database, a bug) status, reason and failure count are recorded too,
 * and the pass that could not close its own sync run (the database was gone) gets it closed here:
 * the job is over, so no run of this account is still going.
 */
export async function recordSyncFailure(db: Database, { accountId, failure }: { accountId: string; failure: SyncFailure }): Promise<void> {
  await db.transaction(async (tx) => {
    const [account] = await tx
      .select({ failures: mailAccounts.consecutiveFailures, status: mailAccounts.status })
      .from(mailAccounts)
      .where(eq(mailAccounts.id, accountId))
      .for("update");
    if (!account) return;
    const failures = failure.recorded ? Math.max(1, account.failures) : account.failures + 1;
    const stop = failure.kind === "auth";
    const delay = Math.max(failure.retryAfterMs ?? 0, failureBackoffMs(failures));
    const keepStatus = account.status === "paused" || account.status === "reconnect_needed";
    await tx
      .update(mailAccounts)
      .set({
        nextSyncAt: stop ? null : sql`now() + ${delay} * interval '1 millisecond'`,
        ...(failure.recorded
          ? {}
          : {
              status: keepStatus ? account.status : stop ? "reconnect_needed" : "error",
              statusReason: failure.message.slice(0, 1000),
              lastErrorAt: sql`now()`,
              consecutiveFailures: failures,
            }),
        updatedAt: sql`now()`,
      })
      .where(eq(mailAccounts.id, accountId));
    if (!failure.recorded) {
      await tx
        .update(syncRuns)
        .set({ outcome: "failed", finishedAt: sql`now()`, errorKind: "internal", error: failure.message.slice(0, 1000) })
        .where(and(eq(syncRuns.accountId, accountId), eq(syncRuns.outcome, "running")));
    }
  });
}
