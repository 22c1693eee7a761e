import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { memberships } from "@/db/schema";
import { conflict, forbidden, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canChangeRole } from "@/lib/tenancy/permissions";
import { changeRoleSchema } from "./member-schemas";
import { countOwners, findMembership, lockMemberships } from "./lock-memberships";

export async function changeMemberRole(db: Database, ctx: OrgContext, input: unknown) {
  const { userId, role } = changeRoleSchema.parse(input);
  return db.transaction(async (tx) => {
    await lockMemberships(tx, ctx.orgId);
    const target = await findMembership(tx, ctx.orgId, userId);
    if (!target) throw notFound("That person is not a member of this organisation.");
    if (!canChangeRole(ctx.role, target.role, role)) throw forbidden("Only owners can change roles.");
    if (target.role === role) return { userId, role };
    if (target.role === "owner" && (await countOwners(tx, ctx.orgId)) <= 1) {
      throw conflict("An organisation needs at least one owner. Make someone else owner first.");
    }
    await tx.update(memberships).set({ role }).where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId)));
    return { userId, role };
  });
}
