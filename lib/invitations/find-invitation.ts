import { eq } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { invitations, organizations, users } from "@/db/schema";
import { hashInvitationToken } from "./token";

export type InvitationStatus = "pending" | "expired" | "revoked" | "accepted";

/** What the invite page may show about a link: only to someone holding the token. */
export async function findInvitation(db: Database | Transaction, token: string, now = new Date()) {
  const [row] = await db
    .select({
      id: invitations.id,
      orgId: invitations.orgId,
      orgSlug: organizations.slug,
      orgName: organizations.name,
      role: invitations.role,
      email: invitations.email,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      invitedByName: users.name,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  if (!row) return null;
  return { ...row, status: invitationStatus(row, now) };
}

export function invitationStatus(row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InvitationStatus {
  if (row.revokedAt) return "revoked";
  if (row.acceptedAt) return "accepted";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

export type FoundInvitation = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;
