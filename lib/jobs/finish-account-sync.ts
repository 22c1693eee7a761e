import { and, eq, lte, notInArray, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";

export type SyncTotals = { added: number; updated: number; deleted: number; parseFailures: number; bytes: number };

export const emptyTotals = (): SyncTotals => ({ added: 0, updated: 0, deleted: 0, parseFailures: 0, bytes: 0 });

export function addTotals(a: SyncTotals, b: Partial<SyncTotals>): SyncTotals {
  return {
    added: a.added + (b.added ?? 0),
    updated: a.updated + (b.updated ?? 0),
    deleted: a.deleted + (b.deleted ?? 0),
    parseFailures: a.parseFailures + (b.parseFailures ?? 0),
    bytes: a.bytes + (b.bytes ?? 0),
  };
}

/**
 * True, and the account claimed for another round, when a sync request arrived while the current
 * round ran (it set `nextSyncAt` to now; the round had pushed it into the future).
 */
export async function claimPendingSyncRequest(db: Database, { accountId, intervalMs }: { accountId: string; intervalMs: number }): Promise<boolean> {
  const rows = await db
    .update(mailAccounts)
    .set({ nextSyncAt: sql`now() + ${intervalMs} * interval '1 millisecond'` })
    .where(
      and(
        eq(mailAccounts.id, accountId),
        lte(mailAccounts.nextSyncAt, sql`now()`),
        notInArray(mailAccounts.status, ["paused", "reconnect_needed"]),
      ),
    )
    .returning({ id: mailAccounts.id });
  return rows.length > 0;
}

/**
 * Ends a run that stopped with work left (step cap reached): the account is due again at once, so
 * the next schedule tick continues it. A complete run keeps the next sync one interval after it began.
 */
export async function finishAccountSync(db: Database, { accountId, complete }: { accountId: string; complete: boolean }): Promise<void> {
  if (complete) return;
  await db.update(mailAccounts).set({ nextSyncAt: sql`now()` }).where(eq(mailAccounts.id, accountId));
}
