import type { Database } from "@/db/connect";
import type { SyncReason } from "./events";
import type { SyncTotals } from "./finish-account-sync";

/**
 * One bounded piece of an account's sync, as the sync-account function calls it: at most
 * `budget.maxMs` and `budget.maxMessages`, everything it did committed before it returns (the next
 * step, maybe on another host, starts from the database). `done` when nothing remains to fetch.
 * A failure is thrown (see classifySyncFailure), with `recorded: true` when the step already wrote
 * it on the account and a sync run.
 */
export type RunSyncStep = (input: {
  db: Database;
  accountId: string;
  orgId: string;
  reason: SyncReason;
  budget: { maxMs: number; maxMessages: number };
}) => Promise<{ done: boolean; totals?: Partial<SyncTotals> }>;
