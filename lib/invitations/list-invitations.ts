import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { invitations, users } from "@/db/schema";
import type { OrgContext } from "@/lib/tenancy/org-context";

/** Pending invitations (not accepted, revoked or expired) of the organisation. */
export async function listPendingInvitations(db: Database, ctx: Pick<OrgContext, "orgId">, now = new Date()) {
  return db
    .select({
      id: invitations.id,
      role: invitations.role,
      email: invitations.email,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      invitedByName: users.name,
      invitedByEmail: users.email,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.orgId, ctx.orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
    .orderBy(desc(invitations.createdAt));
}

export type PendingInvitation = Awaited<ReturnType<typeof listPendingInvitations>>[number];
