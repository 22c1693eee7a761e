import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { memberships } from "@/db/schema";
import { conflict, forbidden, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canRemoveMember } from "@/lib/tenancy/permissions";
import { removeMemberSchema } from "./member-schemas";
import { countOwners, findMembership, lockMemberships } from "./lock-memberships";

/** Removes a member (or lets a member leave, when userId is their own). */
export async function removeMember(db: Database, ctx: OrgContext, input: unknown) {
  const { userId } = removeMemberSchema.parse(input);
  return db.transaction(async (tx) => {
    await lockMemberships(tx, ctx.orgId);
    const target = await findMembership(tx, ctx.orgId, userId);
    if (!target) throw notFound("That person is not a member of this organisation.");
    const isSelf = userId === ctx.user.id;
    if (!canRemoveMember(ctx.role, target.role, isSelf)) throw forbidden("Your role does not allow removing this member.");
    if (target.role === "owner" && (await countOwners(tx, ctx.orgId)) <= 1) {
      throw conflict("The last owner cannot be removed. Make someone else owner first.");
    }
    await tx.delete(memberships).where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId)));
    return { userId, left: isSelf };
  });
}
