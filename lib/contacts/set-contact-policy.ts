import { eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { organizations } from "@/db/schema";
import { forbidden } from "@/lib/tenancy/errors";
import { hasRole } from "@/lib/tenancy/permissions";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { MANAGE_CONTACT_SETTINGS_ROLE } from "./contact-settings-schemas";
import type { ContactPolicy } from "./upsert-contacts";

/**
 * Which correspondents become contacts from now on: everyone, only people the team has written to,
 * or nobody. Existing contacts stay; the next synced mail follows the new policy.
 */
export async function setContactPolicy(db: Database, ctx: Pick<OrgContext, "orgId" | "role">, policy: ContactPolicy) {
  if (!hasRole(ctx.role, MANAGE_CONTACT_SETTINGS_ROLE)) throw forbidden("Only admins can change the contact policy.");
  await db.update(organizations).set({ contactPolicy: policy }).where(eq(organizations.id, ctx.orgId));
  return { policy };
}
