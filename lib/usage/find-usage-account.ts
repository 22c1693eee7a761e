import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, users } from "@/db/schema";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account behind a drill-down URL, only within the organisation; null for anything else. */
export async function findUsageAccount(db: Database, { orgId, accountId }: { orgId: string; accountId: string }) {
  if (!UUID.test(accountId)) return null;
  const [row] = await db
    .select({
      id: mailAccounts.id,
      emailAddress: mailAccounts.emailAddress,
      provider: mailAccounts.provider,
      status: mailAccounts.status,
      statusReason: mailAccounts.statusReason,
      lastSyncAt: mailAccounts.lastSyncAt,
      nextSyncAt: mailAccounts.nextSyncAt,
      lastErrorAt: mailAccounts.lastErrorAt,
      consecutiveFailures: mailAccounts.consecutiveFailures,
      createdAt: mailAccounts.createdAt,
      owner: users.name,
      ownerEmail: users.email,
    })
    .from(mailAccounts)
    .leftJoin(users, eq(users.id, mailAccounts.userId))
    .where(and(eq(mailAccounts.id, accountId), eq(mailAccounts.orgId, orgId)));
  return row ?? null;
}
