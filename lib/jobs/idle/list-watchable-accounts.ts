import { inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";

export type WatchableAccount = {
  id: string;
  orgId: string;
  // Inbox first, then the Sent folder when the sync has found one.
  folders: string[];
  // Changes when the account is edited (e.g. reconnected with new credentials).
  updatedAt: Date;
};

/**
 * Accounts the IDLE watcher holds a connection for: synced at least once and healthy (active, or
 * syncing a backlog). Failing, paused and reconnect_needed accounts are left to the schedule.
 * Every organisation: the watcher is a system process.
 */
export async function listWatchableAccounts(db: Database, { sent }: { sent: boolean }): Promise<WatchableAccount[]> {
  const rows = await db
    .select({
      id: mailAccounts.id,
      orgId: mailAccounts.orgId,
      updatedAt: mailAccounts.updatedAt,
      // Spelled out: drizzle leaves columns unqualified in a one-table select, which would make
      // "id" below mean mailboxes.id.
      sentPath: sql<string | null>`(
        select m.path from mailboxes m
        where m.account_id = mail_accounts.id and m.special_use = 'sent' and m.selectable
        order by m.path limit 1)`,
    })
    .from(mailAccounts)
    .where(inArray(mailAccounts.status, ["active", "syncing"]));
  return rows.map((row) => ({
    id: row.id,
    orgId: row.orgId,
    updatedAt: row.updatedAt,
    folders: sent && row.sentPath ? ["INBOX", row.sentPath] : ["INBOX"],
  }));
}
