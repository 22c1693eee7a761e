import { type JobRuntime, getJobRuntime, startJobRuntime } from "@/lib/jobs/start-job-runtime";
import { requestAccountSync } from "./request-account-sync";
import { appServeHandler } from "./serve";

/**
 * Starts this process's background jobs over the app's own functions and database: the Next server
 * calls it from instrumentation.ts, `npm run worker` from scripts/worker.ts. Once per process.
 */
export function startJobs(role: "app" | "worker"): Promise<JobRuntime> {
  const existing = getJobRuntime();
  if (existing) return Promise.resolve(existing);
  holder.threadlineJobsStarting ??= (async () => {
    const { db, ensureMigrated } = await import("@/db");
    await ensureMigrated();
    return startJobRuntime({
      role,
      handler: appServeHandler(),
      db,
      requestSync: (account) => requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "idle" }, db),
    });
  })().finally(() => {
    holder.threadlineJobsStarting = undefined;
  });
  return holder.threadlineJobsStarting;
}

// Next may evaluate this module more than once (separate bundles); one start per process.
const holder = globalThis as unknown as { threadlineJobsStarting?: Promise<JobRuntime> };
