import type { Database } from "@/db/connect";
import { claimDueAccounts } from "@/lib/jobs/claim-due-accounts";
import { JOB_FUNCTIONS } from "@/lib/jobs/events";
import { syncIntervalMs } from "@/lib/jobs/sync-policy";
import { accountSyncRequested, inngest } from "../client";

/**
 * Every minute: every account whose `nextSyncAt` has come (healthy ones every interval, failing
 * ones after their back-off; never paused or reconnect_needed ones) gets a sync request.
 */
export function createScheduleSyncsFunction({ db, intervalMs = syncIntervalMs(), batch = 500 }: { db: Database; intervalMs?: number; batch?: number }) {
  return inngest.createFunction(
    {
      id: JOB_FUNCTIONS.scheduleSyncs,
      name: "Schedule due account syncs",
      triggers: [{ cron: "* * * * *" }],
      singleton: { mode: "skip" },
      retries: 2,
    },
    async ({ step }) => {
      // Half the tick early rather than half a tick late, on average.
      const due = await step.run("claim-due-accounts", () => claimDueAccounts(db, { limit: batch, leaseMs: intervalMs, horizonMs: 30_000 }));
      if (due.length > 0) {
        await step.sendEvent(
          "request-syncs",
          due.map((account) => accountSyncRequested.create({ accountId: account.id, reason: "schedule" })),
        );
      }
      return { requested: due.length };
    },
  );
}
