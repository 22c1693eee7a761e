import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import type { OrgContext } from "@/lib/tenancy/org-context";

/**
 * Whether the organisation has a mailbox the viewer may not see at all (another member's private
 * account). Only then must contact figures be recounted from visible mail; otherwise the stored
 * counters on contacts are exactly what the viewer may see.
 */
export async function hasHiddenAccounts(db: Database, ctx: Pick<OrgContext, "orgId" | "user">): Promise<boolean> {
  const rows = await queryRows<{ hidden: boolean }>(
    db,
    sql`select exists (select 1 from mail_accounts where org_id = ${ctx.orgId} and visibility = 'private'
        and (user_id is null or user_id <> ${ctx.user.id})) as hidden`,
  );
  return pgBoolean(rows[0]?.hidden);
}
