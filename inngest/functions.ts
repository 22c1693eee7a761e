import type { Database } from "@/db/connect";
import { db as appDb } from "@/db";
import { createRunSyncStep } from "@/lib/jobs/run-account-sync-step";
import type { RunSyncStep } from "@/lib/jobs/sync-step";
import type { RefreshAccountToken } from "@/lib/jobs/token-refresher";
import { refreshAccountToken } from "@/lib/oauth/refresh-account-token";
import { createRefreshAccountTokenFunction, createRefreshTokensFunction } from "./functions/refresh-tokens";
import { createScheduleSyncsFunction } from "./functions/schedule-syncs";
import { createSyncAccountFunction } from "./functions/sync-account";

export type JobDependencies = {
  db: Database;
  runSyncStep: RunSyncStep;
  refreshAccountToken: RefreshAccountToken;
  intervalMs?: number;
};

/** Every durable function the app serves, built over the given dependencies (the app's by default). */
export function createJobFunctions(overrides: Partial<JobDependencies> = {}) {
  const deps: JobDependencies = {
    db: appDb,
    runSyncStep: createRunSyncStep(),
    refreshAccountToken,
    ...overrides,
  };
  return [
    createSyncAccountFunction({ db: deps.db, runSyncStep: deps.runSyncStep, intervalMs: deps.intervalMs }),
    createScheduleSyncsFunction({ db: deps.db, intervalMs: deps.intervalMs }),
    createRefreshTokensFunction({ db: deps.db }),
    createRefreshAccountTokenFunction({ db: deps.db, refreshAccountToken: deps.refreshAccountToken }),
  ];
}
