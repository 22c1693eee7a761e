import type { Database } from "@/db/connect";
import { invitations } from "@/db/schema";
import { takeRateLimit, tooManyAttemptsMessage } from "@/lib/abuse/rate-limits";
import { forbidden, rateLimited } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canInvite } from "@/lib/tenancy/permissions";
import { createInvitationSchema } from "./schemas";
import { INVITATION_TTL_MS, hashInvitationToken, newInvitationToken } from "./token";

/** Creates an invitation link. The plain token is returned once, here, and never stored. */
export async function createInvitation(db: Database, ctx: OrgContext, input: unknown, now = new Date()) {
  const { role, email } = createInvitationSchema.parse(input);
  if (!canInvite(ctx.role, role)) {
    throw forbidden(role === "admin" ? "Only owners can invite admins." : "Only owners and admins can invite people.");
  }
  // Per member and organisation: a compromised or scripted account cannot mint links by the thousand.
  const taken = takeRateLimit("invitationCreate", `${ctx.user.id}:${ctx.orgId}`);
  if (!taken.ok) throw rateLimited(tooManyAttemptsMessage(taken.retryAfterMs, "invitations"));
  const token = newInvitationToken();
  const [row] = await db
    .insert(invitations)
    .values({
      orgId: ctx.orgId,
      role,
      email,
      tokenHash: hashInvitationToken(token),
      invitedBy: ctx.user.id,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    })
    .returning({ id: invitations.id, role: invitations.role, email: invitations.email, expiresAt: invitations.expiresAt });
  return { ...row, token, path: `/invite/${token}` };
}
