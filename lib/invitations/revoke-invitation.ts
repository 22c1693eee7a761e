import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { invitations } from "@/db/schema";
import { forbidden, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canRevokeInvitation } from "@/lib/tenancy/permissions";
import { revokeInvitationSchema } from "./schemas";

export async function revokeInvitation(db: Database, ctx: OrgContext, input: unknown, now = new Date()) {
  const { invitationId } = revokeInvitationSchema.parse(input);
  const pending = and(eq(invitations.id, invitationId), eq(invitations.orgId, ctx.orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
  const [invitation] = await db.select({ role: invitations.role }).from(invitations).where(pending);
  if (!invitation) throw notFound("That invitation does not exist or is no longer pending.");
  if (!canRevokeInvitation(ctx.role, invitation.role)) throw forbidden("Only owners can revoke admin invitations.");
  await db.update(invitations).set({ revokedAt: now }).where(pending);
  return { invitationId };
}
