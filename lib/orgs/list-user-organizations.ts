import { asc, desc, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { memberships, organizations } from "@/db/schema";

/** The organisations a user belongs to, personal first, then by name: the switcher and `/`. */
export async function listUserOrganizations(db: Database, userId: string) {
  return db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, personal: organizations.personal, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(desc(organizations.personal), asc(organizations.name));
}

export type UserOrganization = Awaited<ReturnType<typeof listUserOrganizations>>[number];
