import type { Database } from "@/db/connect";
import { beginAccountSync } from "@/lib/jobs/begin-account-sync";
import { JOB_FUNCTIONS } from "@/lib/jobs/events";
import { addTotals, claimPendingSyncRequest, emptyTotals, finishAccountSync } from "@/lib/jobs/finish-account-sync";
import { recordSyncFailure } from "@/lib/jobs/record-sync-failure";
import type { RunSyncStep } from "@/lib/jobs/sync-step";
import { syncIntervalMs, syncStepBudget } from "@/lib/jobs/sync-policy";
import { accountSyncRequested, inngest } from "../client";
import { failureOf, handledFailure, toStepError, wasHandled } from "./step-errors";

export type SyncAccountDeps = {
  db: Database;
  runSyncStep: RunSyncStep;
  intervalMs?: number;
  budget?: { maxMs: number; maxMessages: number };
  // Inngest allows 1,000 steps per run; past this the run ends and the schedule continues at once.
  maxSyncSteps?: number;
  // Rounds started by requests that arrived while the account was syncing.
  maxRounds?: number;
  // Inngest accepts 0–20.
  retries?: 0 | 1 | 2 | 3 | 4 | 5;
};

/**
 * Syncs one account in bounded steps until the sync says nothing remains, then goes round again
 * while sync requests keep arriving during the run (they are dropped as events by the singleton,
 * but leave `nextSyncAt` due). Every step commits its own progress, so a retried or resumed run
 * starts where the last finished step left off.
 */
export function createSyncAccountFunction(deps: SyncAccountDeps) {
  const { db, runSyncStep } = deps;
  const intervalMs = deps.intervalMs ?? syncIntervalMs();
  const budget = deps.budget ?? syncStepBudget();
  const maxSyncSteps = deps.maxSyncSteps ?? 400;
  const maxRounds = deps.maxRounds ?? 20;

  return inngest.createFunction(
    {
      id: JOB_FUNCTIONS.syncAccount,
      name: "Sync a mail account",
      triggers: [accountSyncRequested],
      // One run per account: its mail server sees one sync connection at a time.
      singleton: { key: "event.data.accountId", mode: "skip" },
      // Logins per account and minute stay well under what Gmail/Outlook tolerate.
      throttle: { key: "event.data.accountId", limit: 20, period: "1m", burst: 5 },
      retries: deps.retries ?? 4,
      // Backstop for failures outside the handler's own error path (e.g. a bookkeeping step failing).
      onFailure: async ({ event, error }) => {
        if (wasHandled(error)) return;
        await recordSyncFailure(db, { accountId: event.data.event.data.accountId, failure: { ...failureOf(error), recorded: false } });
      },
    },
    async ({ event, step }) => {
      const { accountId, reason } = event.data;
      const begun = await step.run("begin", () => beginAccountSync(db, { accountId, intervalMs }));
      if (!begun.started) return { skipped: begun.reason };

      let totals = emptyTotals();
      let steps = 0;
      let rounds = 1;
      let complete = false;
      try {
        for (;;) {
          const result = await step.run("sync", async () => {
            try {
              return await runSyncStep({ db, accountId, orgId: begun.orgId, reason, budget });
            } catch (error) {
              throw toStepError(error);
            }
          });
          totals = addTotals(totals, result.totals ?? {});
          steps++;
          if (!result.done) {
            if (steps >= maxSyncSteps) break;
            continue;
          }
          // Past the last round a pending request stays due, and the schedule serves it.
          if (rounds >= maxRounds) {
            complete = true;
            break;
          }
          const again = await step.run("check-requests", () => claimPendingSyncRequest(db, { accountId, intervalMs }));
          if (!again) {
            complete = true;
            break;
          }
          rounds++;
        }
      } catch (error) {
        // The step failed for good (auth, permanent, or retries exhausted).
        const failure = failureOf(error);
        await step.run("record-failure", () => recordSyncFailure(db, { accountId, failure }));
        // Recorded and scheduled (back-off or reconnect): retrying the run would only replay it.
        throw handledFailure(failure);
      }
      await step.run("finish", () => finishAccountSync(db, { accountId, complete }));
      return { complete, rounds, steps, totals };
    },
  );
}
