import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { memberships, organizations } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session";
import { orgSlugSchema } from "@/lib/orgs/slug";
import { forbidden, orgNotFound, unauthorized } from "./errors";
import type { GuardOptions, OrgContext } from "./org-context";
import { hasRole } from "./permissions";

/**
 * The core of the tenancy guard: slug + user → context, or an AppError. One query, joined on the
 * membership, so "no such organisation" and "not a member" are indistinguishable (both 404).
 */
export async function resolveOrgContext(
  db: Database,
  user: SessionUser | null,
  slug: unknown,
  { requiredRole = "member" }: GuardOptions = {},
): Promise<OrgContext> {
  if (!user) throw unauthorized();
  const parsed = orgSlugSchema.safeParse(slug);
  if (!parsed.success) throw orgNotFound();
  const [row] = await db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      personal: organizations.personal,
      role: memberships.role,
    })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.userId, user.id)))
    .where(eq(organizations.slug, parsed.data));
  if (!row) throw orgNotFound();
  if (!hasRole(row.role, requiredRole)) throw forbidden();
  const { role, ...org } = row;
  return { orgId: org.id, org, user, role };
}
