import type { Database } from "@/db/connect";
import { db as appDb } from "@/db";
import type { SyncReason } from "@/lib/jobs/events";
import { markSyncRequested } from "@/lib/jobs/mark-sync-requested";
import { accountSyncRequested, inngest } from "./client";

export type RequestAccountSyncResult = { requested: boolean; status: string | null };

/**
 * Asks for an account to be synced now (linking, "sync now", the IDLE watcher). Marks the account
 * due, so a sync already running goes round again instead of dropping the request, then sends the
 * event. Paused and reconnect_needed accounts are not synced (status says why); a missing account
 * (or one of another organisation) gives `status: null`.
 */
export async function requestAccountSync(
  input: { orgId: string; accountId: string; reason: SyncReason },
  db: Database = appDb,
): Promise<RequestAccountSyncResult> {
  const status = await markSyncRequested(db, input);
  if (status === null || status === "paused" || status === "reconnect_needed") return { requested: false, status };
  await inngest.send(accountSyncRequested.create({ accountId: input.accountId, reason: input.reason }));
  return { requested: true, status };
}
