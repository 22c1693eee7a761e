import { count, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { memberships, organizations } from "@/db/schema";
import { orgSlugSchema } from "@/lib/orgs/slug";

/** Any organisation by slug, for platform admins (no membership needed): null when there is none. */
export async function findOrganizationBySlug(db: Database, slug: string) {
  const parsed = orgSlugSchema.safeParse(slug);
  if (!parsed.success) return null;
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, parsed.data));
  if (!org) return null;
  const [members] = await db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, org.id));
  return { id: org.id, slug: org.slug, name: org.name, personal: org.personal, members: Number(members?.n ?? 0) };
}
