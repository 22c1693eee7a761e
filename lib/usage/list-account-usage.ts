import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import { readUsageFigures, syncRunTotalsSql, type UsageFigures } from "./usage-figures";
import { scopeSql, type UsageScope, windowStartSql } from "./usage-scope";

export type AccountUsage = UsageFigures & {
  id: string;
  orgId: string;
  orgSlug: string;
  orgName: string;
  emailAddress: string;
  provider: string;
  status: string;
  statusReason: string | null;
  owner: string | null;
  lastRunAt: Date | null;
  lastSyncAt: Date | null;
  lastErrorAt: Date | null;
  consecutiveFailures: number;
};

/** One row per linked mailbox in the scope, with its mail, storage and sync health over the window. */
export async function listAccountUsage(db: Database, scope: UsageScope, days: number): Promise<AccountUsage[]> {
  const since = windowStartSql(days);
  const rows = await queryRows<Record<string, string | number | Date | null>>(
    db,
    sql`select a.id, a.org_id, o.slug as org_slug, o.name as org_name, a.email_address, a.provider::text as provider, a.status::text as status,
        a.status_reason, coalesce(u.name, u.email) as owner, a.last_sync_at, a.last_error_at, a.consecutive_failures,
        coalesce(ms.n, 0) as messages, coalesce(ms.bytes, 0) + coalesce(att.bytes, 0) as storage,
        coalesce(rs.runs, 0) as runs, coalesce(rs.failed, 0) as failed, coalesce(rs.finished, 0) as finished,
        coalesce(rs.throttled, 0) as throttled, coalesce(rs.added, 0) as added, rs.last_run
      from mail_accounts a
      join organizations o on o.id = a.org_id
      left join users u on u.id = a.user_id
      left join (
        select m.account_id, count(*) as n, sum(m.size) as bytes from messages m where ${scopeSql(scope, "m")} group by m.account_id
      ) ms on ms.account_id = a.id
      left join (
        select m.account_id, sum(octet_length(t.content)) as bytes from attachments t join messages m on m.id = t.message_id
        where ${scopeSql(scope, "m")} and t.content is not null group by m.account_id
      ) att on att.account_id = a.id
      left join (${syncRunTotalsSql("account_id", scopeSql(scope, "r"), since)}) rs on rs.account_id = a.id
      where ${scope.kind === "account" ? scopeSql(scope, "a", "id") : scopeSql(scope, "a")}
      order by o.name, a.email_address`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    orgId: String(row.org_id),
    orgSlug: String(row.org_slug),
    orgName: String(row.org_name),
    emailAddress: String(row.email_address),
    provider: String(row.provider),
    status: String(row.status),
    statusReason: (row.status_reason as string | null) ?? null,
    owner: (row.owner as string | null) ?? null,
    ...readUsageFigures(row),
    lastRunAt: pgTimestamp(row.last_run as string | Date | null),
    lastSyncAt: pgTimestamp(row.last_sync_at as string | Date | null),
    lastErrorAt: pgTimestamp(row.last_error_at as string | Date | null),
    consecutiveFailures: Number(row.consecutive_failures),
  }));
}
