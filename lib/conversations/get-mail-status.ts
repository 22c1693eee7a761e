import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import { hasRole } from "@/lib/tenancy/permissions";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { ACCESS_RANK, accessRankOfAccountAlias } from "./visibility";

export type AccountAttention = {
  id: string;
  emailAddress: string;
  provider: "gmail" | "outlook" | "imap";
  status: "reconnect_needed" | "error";
  reason: string | null;
  since: Date | null;
  mine: boolean;
};

export type AccountSyncing = { id: string; emailAddress: string; synced: number; total: number; folders: number };

export type MailStatus = { accounts: number; attention: AccountAttention[]; syncing: AccountSyncing[] };

/**
 * What the home page says about mailboxes: which need the reader's attention (reconnect, failing)
 * and which are syncing, with progress summed over their folders. A member sees their own mailboxes
 * and those whose mail they may see; admins see every mailbox of the organisation.
 */
export async function getMailStatus(db: Database, ctx: Pick<OrgContext, "orgId" | "user" | "role">): Promise<MailStatus> {
  const rank = accessRankOfAccountAlias({ userId: ctx.user.id }, "a");
  const everyone = hasRole(ctx.role, "admin");
  const rows = await queryRows<Row>(
    db,
    sql`
    select a.id, a.email_address, a.provider, a.status, a.status_reason, a.last_error_at, a.updated_at, (a.user_id = ${ctx.user.id}) as mine,
      coalesce(sum(b.synced_count), 0)::int as synced, coalesce(sum(b.server_count), 0)::int as total, count(b.id)::int as folders
    from mail_accounts a left join mailboxes b on b.account_id = a.id and b.org_id = ${ctx.orgId}
    where a.org_id = ${ctx.orgId} and (${everyone} or ${rank} >= ${ACCESS_RANK.metadata})
    group by a.id
    order by lower(a.email_address)`,
  );
  const attention: AccountAttention[] = [];
  const syncing: AccountSyncing[] = [];
  for (const row of rows) {
    if (row.status === "reconnect_needed" || row.status === "error") {
      attention.push({
        id: row.id,
        emailAddress: row.email_address,
        provider: row.provider,
        status: row.status,
        reason: row.status_reason,
        since: pgTimestamp(row.last_error_at) ?? pgTimestamp(row.updated_at),
        mine: pgBoolean(row.mine),
      });
    } else if (row.status === "syncing" || row.status === "connecting") {
      syncing.push({ id: row.id, emailAddress: row.email_address, synced: Number(row.synced), total: Number(row.total), folders: Number(row.folders) });
    }
  }
  return { accounts: rows.length, attention, syncing };
}

type Row = {
  id: string;
  email_address: string;
  provider: "gmail" | "outlook" | "imap";
  status: string;
  status_reason: string | null;
  last_error_at: string | Date | null;
  updated_at: string | Date | null;
  mine: boolean;
  synced: number | string;
  total: number | string;
  folders: number | string;
};
