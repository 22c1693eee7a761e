import { z } from "zod";

// Event and function names shared by inngest/ (which defines the functions) and lib/jobs (which
// schedules, watches and reports on them). lib/ never imports inngest/, so they live here.

export const ACCOUNT_SYNC_REQUESTED = "threadline/account.sync.requested";
export const ACCOUNT_TOKEN_REFRESH_REQUESTED = "threadline/account.token.refresh.requested";

export const syncReasons = ["linked", "manual", "schedule", "idle", "reconnected"] as const;
export type SyncReason = (typeof syncReasons)[number];

export const accountSyncRequestedData = z.object({
  accountId: z.uuid(),
  reason: z.enum(syncReasons),
});
export type AccountSyncRequested = z.infer<typeof accountSyncRequestedData>;

export const accountTokenRefreshRequestedData = z.object({ accountId: z.uuid() });

export const JOB_FUNCTIONS = {
  syncAccount: "sync-account",
  scheduleSyncs: "schedule-syncs",
  refreshTokens: "refresh-tokens",
  refreshAccountToken: "refresh-account-token",
} as const;
