"use server";

import { createInvitation } from "@/lib/invitations/create-invitation";
import { revokeInvitation } from "@/lib/invitations/revoke-invitation";
import { createInvitationSchema, revokeInvitationSchema } from "@/lib/invitations/schemas";
import { changeMemberRole } from "@/lib/orgs/change-member-role";
import { changeRoleSchema, removeMemberSchema } from "@/lib/orgs/member-schemas";
import { removeMember } from "@/lib/orgs/remove-member";
import { orgAction, orgInput } from "@/lib/safe-action";
import { permissions } from "@/lib/tenancy/permissions";

export const createInvitationAction = orgAction
  .metadata({ actionName: "createInvitation", requiredRole: permissions.manageInvitations })
  .inputSchema(orgInput(createInvitationSchema.shape))
  .action(async ({ ctx: { org, db }, parsedInput: { slug: _slug, ...input } }) => {
    const invitation = await createInvitation(db, org, input);
    return { id: invitation.id, role: invitation.role, email: invitation.email, expiresAt: invitation.expiresAt, path: invitation.path };
  });

export const revokeInvitationAction = orgAction
  .metadata({ actionName: "revokeInvitation", requiredRole: permissions.manageInvitations })
  .inputSchema(orgInput(revokeInvitationSchema.shape))
  .action(async ({ ctx: { org, db }, parsedInput: { slug: _slug, ...input } }) => revokeInvitation(db, org, input));

export const changeMemberRoleAction = orgAction
  .metadata({ actionName: "changeMemberRole", requiredRole: "owner" })
  .inputSchema(orgInput(changeRoleSchema.shape))
  .action(async ({ ctx: { org, db }, parsedInput: { slug: _slug, ...input } }) => changeMemberRole(db, org, input));

export const removeMemberAction = orgAction
  .metadata({ actionName: "removeMember", requiredRole: "member" })
  .inputSchema(orgInput(removeMemberSchema.shape))
  .action(async ({ ctx: { org, db }, parsedInput: { slug: _slug, ...input } }) => removeMember(db, org, input));
