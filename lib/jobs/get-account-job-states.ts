import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, syncRuns } from "@/db/schema";
import { JOB_FUNCTIONS } from "./events";
import type { AccountWatchStatus } from "./idle/idle-watcher";
import type { RunRecord } from "./in-process/in-process-runner";
import { getJobRuntime } from "./start-job-runtime";

export type AccountJobState = {
  accountId: string;
  // What the dashboard shows first.
  state: "running" | "queued" | "retrying" | "waiting" | "paused" | "reconnect_needed" | "scheduled";
  // The sync in progress (in-process runner: phase, step, attempt; Inngest: from its sync run).
  current: { since: Date; step: string | null; attempt: number; retryAt: Date | null; error: string | null } | null;
  lastRun: {
    startedAt: Date;
    finishedAt: Date | null;
    outcome: string;
    trigger: string;
    added: number;
    updated: number;
    deleted: number;
    error: string | null;
    errorKind: string | null;
  } | null;
  nextRunAt: Date | null;
  lastSyncAt: Date | null;
  lastError: { at: Date; reason: string | null } | null;
  consecutiveFailures: number;
  // Near-real-time watch (null: not watched by this process, e.g. Inngest mode without a worker here).
  watcher: AccountWatchStatus | null;
};

// A sync run row still "running" after this long was cut off (crash): not shown as running.
const RUNNING_ROW_MAX_AGE_MS = 30 * 60_000;

/**
 * The job state of an organisation's accounts for the dashboard: queued / running / retrying, last
 * run, next run, last error. Reads the database (status, schedule, sync runs) and, when this process
 * runs the jobs in-process, the runner's live registry and the IDLE watcher.
 */
export async function getAccountJobStates(db: Database, { orgId, accountIds }: { orgId: string; accountIds?: string[] }): Promise<AccountJobState[]> {
  const accounts = await db
    .select({
      id: mailAccounts.id,
      status: mailAccounts.status,
      statusReason: mailAccounts.statusReason,
      nextSyncAt: mailAccounts.nextSyncAt,
      lastSyncAt: mailAccounts.lastSyncAt,
      lastErrorAt: mailAccounts.lastErrorAt,
      consecutiveFailures: mailAccounts.consecutiveFailures,
    })
    .from(mailAccounts)
    .where(and(eq(mailAccounts.orgId, orgId), accountIds ? inArray(mailAccounts.id, accountIds) : undefined));
  if (accounts.length === 0) return [];

  const ids = accounts.map((a) => a.id);
  const latest = await db
    .selectDistinctOn([syncRuns.accountId])
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, orgId), inArray(syncRuns.accountId, ids)))
    .orderBy(syncRuns.accountId, desc(syncRuns.startedAt));
  const lastRunOf = new Map(latest.map((r) => [r.accountId, r]));
  const now = Date.now();

  const runtime = getJobRuntime();
  const live = new Map<string, RunRecord>();
  for (const run of runtime?.runner()?.runs({ functionId: JOB_FUNCTIONS.syncAccount }) ?? []) {
    const accountId = String(run.event.data.accountId ?? "");
    if (ids.includes(accountId) && !["completed", "failed", "cancelled"].includes(run.status)) live.set(accountId, run);
  }

  return accounts.map((account): AccountJobState => {
    const run = lastRunOf.get(account.id);
    const active = live.get(account.id);
    const runningRow = run && run.outcome === "running" && now - run.startedAt.getTime() < RUNNING_ROW_MAX_AGE_MS ? run : null;
    const current = active
      ? {
          since: new Date(active.startedAt ?? active.queuedAt),
          step: active.step ?? null,
          attempt: active.attempt,
          retryAt: active.status === "retrying" && active.until ? new Date(active.until) : null,
          error: active.status === "retrying" ? (active.error?.message ?? null) : null,
        }
      : runningRow
        ? { since: runningRow.startedAt, step: null, attempt: 0, retryAt: null, error: null }
        : null;
    const stopped = account.status === "paused" || account.status === "reconnect_needed";
    return {
      accountId: account.id,
      state: stopped
        ? (account.status as "paused" | "reconnect_needed")
        : active?.status === "queued"
          ? "queued"
          : active?.status === "retrying"
            ? "retrying"
            : active?.status === "sleeping" || active?.status === "waiting"
              ? "waiting"
              : current
                ? "running"
                : "scheduled",
      current,
      lastRun: run
        ? {
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            outcome: run.outcome,
            trigger: run.trigger,
            added: run.messagesAdded,
            updated: run.messagesUpdated,
            deleted: run.messagesDeleted,
            error: run.error,
            errorKind: run.errorKind,
          }
        : null,
      nextRunAt: stopped ? null : account.nextSyncAt,
      lastSyncAt: account.lastSyncAt,
      lastError: account.lastErrorAt ? { at: account.lastErrorAt, reason: account.statusReason } : null,
      consecutiveFailures: account.consecutiveFailures,
      watcher: runtime?.watcher()?.status(account.id) ?? null,
    };
  });
}

