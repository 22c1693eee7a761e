import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { blockedSenders } from "@/db/schema";
import { isUuid } from "@/lib/conversations/get-conversation";
import { forbidden, notFound } from "@/lib/tenancy/errors";
import { hasRole } from "@/lib/tenancy/permissions";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { MANAGE_CONTACT_SETTINGS_ROLE } from "./contact-settings-schemas";

/** Unblocks an entry of the organisation's blocklist (looked up within the organisation only). */
export async function removeBlockedSender(db: Database, ctx: Pick<OrgContext, "orgId" | "role">, id: string) {
  if (!hasRole(ctx.role, MANAGE_CONTACT_SETTINGS_ROLE)) throw forbidden("Only admins can change the blocklist.");
  const missing = () => notFound("That blocklist entry does not exist.");
  if (!isUuid(id)) throw missing();
  const [row] = await db.delete(blockedSenders).where(and(eq(blockedSenders.id, id), eq(blockedSenders.orgId, ctx.orgId))).returning();
  if (!row) throw missing();
  return { id: row.id, pattern: row.pattern };
}
