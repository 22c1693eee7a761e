import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import { readUsageFigures, syncRunTotalsSql, type UsageFigures } from "./usage-figures";
import { windowStartSql } from "./usage-scope";

export type OrganizationUsage = UsageFigures & {
  id: string;
  slug: string;
  name: string;
  personal: boolean;
  createdAt: Date | null;
  members: number;
  accounts: number;
  accountsNeedingAttention: number;
  lastActivityAt: Date | null;
};

/**
 * Every organisation on the platform with its usage over the window. Crosses tenants on purpose:
 * only for platform admins (callers check lib/admin first).
 */
export async function listOrganizationUsage(db: Database, days: number): Promise<OrganizationUsage[]> {
  const since = windowStartSql(days);
  const rows = await queryRows<Record<string, string | number | boolean | Date | null>>(
    db,
    sql`select o.id, o.slug, o.name, o.personal, o.created_at,
        (select count(*) from memberships x where x.org_id = o.id) as members,
        coalesce(ac.n, 0) as accounts, coalesce(ac.attention, 0) as attention,
        coalesce(ms.n, 0) as messages, coalesce(ms.bytes, 0) + coalesce(att.bytes, 0) as storage,
        coalesce(rs.runs, 0) as runs, coalesce(rs.failed, 0) as failed, coalesce(rs.finished, 0) as finished,
        coalesce(rs.throttled, 0) as throttled, coalesce(rs.added, 0) as added, rs.last_run
      from organizations o
      left join (
        select a.org_id, count(*) as n, count(*) filter (where a.status in ('reconnect_needed', 'error')) as attention
        from mail_accounts a group by a.org_id
      ) ac on ac.org_id = o.id
      left join (select m.org_id, count(*) as n, sum(m.size) as bytes from messages m group by m.org_id) ms on ms.org_id = o.id
      left join (select t.org_id, sum(octet_length(t.content)) as bytes from attachments t where t.content is not null group by t.org_id) att on att.org_id = o.id
      left join (${syncRunTotalsSql("org_id", sql`true`, since)}) rs on rs.org_id = o.id
      order by o.name`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    slug: String(row.slug),
    name: String(row.name),
    personal: row.personal === true,
    createdAt: pgTimestamp(row.created_at as string | Date | null),
    members: Number(row.members),
    accounts: Number(row.accounts),
    accountsNeedingAttention: Number(row.attention),
    ...readUsageFigures(row),
    lastActivityAt: pgTimestamp(row.last_run as string | Date | null),
  }));
}
