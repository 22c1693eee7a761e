import { count, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { contacts, mailAccounts, memberships, threads } from "@/db/schema";
import type { OrgContext } from "@/lib/tenancy/org-context";

/** The headline numbers of an organisation's home page. */
export async function getOrgOverview(db: Database, ctx: Pick<OrgContext, "orgId">) {
  const total = async (table: typeof mailAccounts | typeof threads | typeof contacts | typeof memberships) => {
    const [row] = await db.select({ n: count() }).from(table).where(eq(table.orgId, ctx.orgId));
    return Number(row?.n ?? 0);
  };
  const [accounts, conversations, people, members] = await Promise.all([total(mailAccounts), total(threads), total(contacts), total(memberships)]);
  return { accounts, conversations, contacts: people, members };
}
