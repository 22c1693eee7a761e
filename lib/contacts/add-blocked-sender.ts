import type { Database } from "@/db/connect";
import { blockedSenders } from "@/db/schema";
import { conflict, forbidden } from "@/lib/tenancy/errors";
import { hasRole } from "@/lib/tenancy/permissions";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { blockedPattern, MANAGE_CONTACT_SETTINGS_ROLE } from "./contact-settings-schemas";

/**
 * Blocks an address or a domain: it never becomes a contact again and existing contacts it covers
 * are hidden from lists. Mail from it is still synced and searchable (nothing is lost).
 */
export async function addBlockedSender(db: Database, ctx: Pick<OrgContext, "orgId" | "role">, pattern: string) {
  if (!hasRole(ctx.role, MANAGE_CONTACT_SETTINGS_ROLE)) throw forbidden("Only admins can change the blocklist.");
  const value = blockedPattern.parse(pattern);
  const [row] = await db.insert(blockedSenders).values({ orgId: ctx.orgId, pattern: value }).onConflictDoNothing().returning();
  if (!row) throw conflict(`${value} is already blocked.`);
  return { id: row.id, pattern: row.pattern };
}
