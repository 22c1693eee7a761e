import { type SyncAccountOptions, syncAccount } from "@/lib/sync/sync-account";
import type { SyncSummary } from "@/lib/sync/types";
import type { SyncFailureKind } from "./sync-failure";
import type { RunSyncStep } from "./sync-step";

/**
 * The sync-account function's step over the sync core: one bounded pass (`syncAccount` with limits).
 * The core records each pass (sync_runs, account status); a pass that failed is thrown, marked as
 * recorded, for the job to retry or stop on. A folder the server refuses while the rest synced does
 * not fail the step: the pass is done, the account shows the folder's error, the next pass retries.
 */
export function createRunSyncStep(options: { connect?: SyncAccountOptions["connect"] } = {}): RunSyncStep {
  return async ({ db, accountId, reason, budget }) => {
    const summary = await syncAccount({
      db,
      account: accountId,
      trigger: reason,
      limits: { maxMessages: budget.maxMessages, maxDurationMs: budget.maxMs },
      connect: options.connect,
    });
    const totals = {
      added: summary.added,
      updated: summary.updated,
      deleted: summary.deleted + summary.orphansRemoved,
      parseFailures: summary.parseFailures,
      bytes: summary.bytes,
    };
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

function folderOnlyFailure(summary: SyncSummary): boolean {
  return summary.error?.kind === "protocol" && summary.outcome !== "failed" && summary.mailboxes.some((m) => m.error);
}

function failureKind(error: NonNullable<SyncSummary["error"]>): SyncFailureKind {
  if (error.kind === "auth") return "auth";
  if (error.kind === "throttled") return "throttled";
  return error.retryable ? "transient" : "permanent";
}
