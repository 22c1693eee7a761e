import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { memberships, users } from "@/db/schema";
import type { OrgContext } from "@/lib/tenancy/org-context";
import type { Role } from "@/lib/tenancy/permissions";

const ROLE_ORDER: Record<Role, number> = { owner: 0, admin: 1, member: 2 };

export async function listMembers(db: Database, ctx: Pick<OrgContext, "orgId">) {
  const rows = await db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, ctx.orgId))
    .orderBy(asc(users.name), asc(users.email));
  return rows.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

export type Member = Awaited<ReturnType<typeof listMembers>>[number];
