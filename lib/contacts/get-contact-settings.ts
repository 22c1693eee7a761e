import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { blockedSenders, organizations } from "@/db/schema";
import type { OrgContext } from "@/lib/tenancy/org-context";

/** The organisation's contact policy and blocklist (newest entries first within A→Z order). */
export async function getContactSettings(db: Database, ctx: Pick<OrgContext, "orgId">) {
  const [org] = await db.select({ policy: organizations.contactPolicy }).from(organizations).where(eq(organizations.id, ctx.orgId));
  const blocked = await db
    .select({ id: blockedSenders.id, pattern: blockedSenders.pattern, createdAt: blockedSenders.createdAt })
    .from(blockedSenders)
    .where(eq(blockedSenders.orgId, ctx.orgId))
    .orderBy(asc(blockedSenders.pattern));
  return { policy: org?.policy ?? "all", blocked };
}
