import { eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { type SyncAccountOptions, syncAccount } from "@/lib/sync/sync-account";
import type { SyncSummary } from "@/lib/sync/types";
import { getJobRuntime } from "./start-job-runtime";
import type { SyncFailureKind } from "./sync-failure";
import type { RunSyncStep } from "./sync-step";

// How often a running step checks whether its account was paused meanwhile.
const PAUSE_CHECK_MS = 1_000;

/**
 * The sync-account function's step over the sync core: one bounded pass (`syncAccount` with limits).
 * The core records each pass (sync_runs, account status); a pass that failed is thrown, marked as
 * recorded, for the job to retry or stop on. A folder the server refuses while the rest synced does
 * not fail the step: the pass is done, the account shows the folder's error, the next pass retries.
 * Pausing the account stops the pass after the batch it is committing, and ends the run.
 */
export function createRunSyncStep(options: { connect?: SyncAccountOptions["connect"]; pauseCheckMs?: number } = {}): RunSyncStep {
  return async ({ db, accountId, reason, budget }) => {
    if (await isPaused(db, accountId)) return { done: true };
    const paused = watchForPause(db, accountId, options.pauseCheckMs ?? PAUSE_CHECK_MS);
    let summary: SyncSummary;
    try {
      summary = await syncAccount({
        db,
        account: accountId,
        trigger: reason,
        limits: { maxMessages: budget.maxMessages, maxDurationMs: budget.maxMs },
        connect: options.connect,
        signal: paused.signal,
      });
    } finally {
      paused.stop();
    }
    const totals = {
      added: summary.added,
      updated: summary.updated,
      deleted: summary.deleted + summary.orphansRemoved,
      parseFailures: summary.parseFailures,
      bytes: summary.bytes,
    };
    if (paused.signal.aborted) return { done: true, totals };
    // A newly linked account is watchable after its first pass: watch it now rather than at the
    // watcher's next look (up to 30 s), when mail arriving meanwhile would wait for that.
    const watcher = getJobRuntime()?.watcher();
    if (watcher && !summary.error && !watcher.status(accountId)) void watcher.refresh().catch(() => {});
    if (summary.error && !folderOnlyFailure(summary)) {
      throw Object.assign(new Error(summary.error.message), {
        syncFailureKind: failureKind(summary.error),
        retryAfterMs: summary.error.retryAfterMs ?? undefined,
        recorded: true,
      });
    }
    return { done: !summary.more || Boolean(summary.error), totals };
  };
}

async function isPaused(db: Database, accountId: string): Promise<boolean> {
  const [row] = await db.select({ status: mailAccounts.status }).from(mailAccounts).where(eq(mailAccounts.id, accountId));
  return !row || row.status === "paused";
}

function watchForPause(db: Database, accountId: string, everyMs: number) {
  const controller = new AbortController();
  const timer = setInterval(() => {
    isPaused(db, accountId).then(
      (paused) => paused && controller.abort(),
      () => {},
    );
  }, everyMs);
  timer.unref?.();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}

function folderOnlyFailure(summary: SyncSummary): boolean {
  return summary.error?.kind === "protocol" && summary.outcome !== "failed" && summary.mailboxes.some((m) => m.error);
}

function failureKind(error: NonNullable<SyncSummary["error"]>): SyncFailureKind {
  if (error.kind === "auth") return "auth";
  if (error.kind === "throttled") return "throttled";
  return error.retryable ? "transient" : "permanent";
}
