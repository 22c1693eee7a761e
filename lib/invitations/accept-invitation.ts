import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { invitations, memberships } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session";
import { conflict, forbidden, notFound } from "@/lib/tenancy/errors";
import { findInvitation } from "./find-invitation";
import { invitationTokenSchema } from "./schemas";

const REFUSALS = {
  expired: "This invitation has expired. Ask for a new link.",
  revoked: "This invitation was revoked. Ask for a new link.",
  accepted: "This invitation has already been used. Ask for a new link.",
} as const;

/**
 * Turns a valid link into a membership. Links are single-use; someone who is already a member
 * keeps their role and leaves the link unused.
 */
export async function acceptInvitation(db: Database, user: SessionUser, input: unknown, now = new Date()) {
  const { token } = invitationTokenSchema.parse(input);
  return db.transaction(async (tx) => {
    const invitation = await findInvitation(tx, token, now);
    if (!invitation) throw notFound("This invitation link is not valid. Check that you copied all of it.");
    if (invitation.status !== "pending") throw conflict(REFUSALS[invitation.status]);
    if (invitation.email && invitation.email.toLowerCase() !== user.email?.toLowerCase()) {
      throw forbidden(`This invitation is for ${invitation.email}. Sign in with that address to accept it.`);
    }
    const [existing] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, user.id)));
    if (existing) return { slug: invitation.orgSlug, role: existing.role, alreadyMember: true };
    // The guarded update makes a link single-use even when two people click it at once.
    const claimed = await tx
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: user.id })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (claimed.length === 0) throw conflict(REFUSALS.accepted);
    await tx.insert(memberships).values({ orgId: invitation.orgId, userId: user.id, role: invitation.role });
    return { slug: invitation.orgSlug, role: invitation.role, alreadyMember: false };
  });
}
