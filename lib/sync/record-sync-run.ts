import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, syncRuns } from "@/db/schema";
import type { MailAccountRow, SyncSummary } from "./types";

// After this many failed passes in a row a transient problem is shown as an error.
const FAILURES_BEFORE_ERROR = 3;

export async function startSyncRun(db: Database, account: MailAccountRow, trigger: string): Promise<string> {
  const [run] = await db.insert(syncRuns).values({ orgId: account.orgId, accountId: account.id, trigger }).returning({ id: syncRuns.id });
  if (account.status === "connecting") {
    await db.update(mailAccounts).set({ status: "syncing", updatedAt: new Date() }).where(and(scope(account), eq(mailAccounts.status, "connecting")));
  }
  return run!.id;
}

/** Closes the run row and moves the account's status to what the pass found. */
export async function finishSyncRun(db: Database, account: MailAccountRow, summary: SyncSummary): Promise<void> {
  const now = new Date();
  await db
    .update(syncRuns)
    .set({
      finishedAt: now,
      outcome: summary.outcome,
      messagesAdded: summary.added,
      messagesUpdated: summary.updated,
      messagesDeleted: summary.deleted + summary.orphansRemoved,
      parseFailures: summary.parseFailures,
      bytes: summary.bytes,
      errorKind: summary.error?.kind ?? null,
      error: summary.error?.message ?? null,
    })
    .where(and(eq(syncRuns.id, summary.runId), eq(syncRuns.orgId, account.orgId)));

  if (!summary.error) {
    await db
      .update(mailAccounts)
      .set({ status: unlessPaused(summary.more ? "syncing" : "active"), statusReason: keepIfPaused(null), lastSyncAt: now, consecutiveFailures: 0, updatedAt: now })
      .where(scope(account));
    return;
  }
  const error = summary.error;
  const failures = account.consecutiveFailures + 1;
  const status =
    error.kind === "auth" ? "reconnect_needed" : !error.retryable || failures >= FAILURES_BEFORE_ERROR ? "error" : account.status === "connecting" ? "syncing" : account.status;
  await db
    .update(mailAccounts)
    .set({
      status: unlessPaused(status),
      statusReason: keepIfPaused(error.message.slice(0, 1000)),
      lastErrorAt: now,
      consecutiveFailures: sql`${mailAccounts.consecutiveFailures} + 1`,
      // A partial pass still synced something.
      ...(summary.outcome === "partial" ? { lastSyncAt: now } : {}),
      updatedAt: now,
    })
    .where(scope(account));
}

// Pausing while a pass runs must stick: the pass's own outcome never un-pauses the account.
function unlessPaused(status: MailAccountRow["status"]) {
  return sql<MailAccountRow["status"]>`case when ${mailAccounts.status} = 'paused' then ${mailAccounts.status} else ${status}::account_status end`;
}

function keepIfPaused(reason: string | null) {
  return sql<string | null>`case when ${mailAccounts.status} = 'paused' then ${mailAccounts.statusReason} else ${reason} end`;
}

function scope(account: MailAccountRow) {
  return and(eq(mailAccounts.id, account.id), eq(mailAccounts.orgId, account.orgId));
}
