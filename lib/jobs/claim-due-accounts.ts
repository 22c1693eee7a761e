import { and, asc, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { SYNCABLE_STATUSES } from "./sync-policy";

export type DueAccount = { id: string; orgId: string };

/**
 * The accounts whose next sync is due, across every organisation (the scheduler is not a tenant),
 * never paused or reconnect_needed ones. Each is leased (`nextSyncAt` pushed to now + leaseMs) in the
 * same statement, so a later tick does not send it again while its sync is queued; if the sync never
 * happens the lease runs out and the account is due again. `horizonMs` also takes accounts due that
 * soon: the schedule ticks once a minute, and without it an account due just after a tick would wait
 * almost a whole extra minute.
 */
export async function claimDueAccounts(
  db: Database,
  { limit = 500, leaseMs, horizonMs = 0 }: { limit?: number; leaseMs: number; horizonMs?: number },
): Promise<DueAccount[]> {
  const due = db
    .select({ id: mailAccounts.id })
    .from(mailAccounts)
    .where(
      and(
        inArray(mailAccounts.status, [...SYNCABLE_STATUSES]),
        or(isNull(mailAccounts.nextSyncAt), lte(mailAccounts.nextSyncAt, sql`now() + ${horizonMs} * interval '1 millisecond'`)),
      ),
    )
    .orderBy(sql`${mailAccounts.nextSyncAt} asc nulls first`, asc(mailAccounts.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(mailAccounts)
    .set({ nextSyncAt: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where(inArray(mailAccounts.id, due))
    .returning({ id: mailAccounts.id, orgId: mailAccounts.orgId });
}
