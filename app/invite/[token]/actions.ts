"use server";

import { db } from "@/db";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { invitationTokenSchema } from "@/lib/invitations/schemas";
import { userAction } from "@/lib/safe-action";

export const acceptInvitationAction = userAction
  .metadata({ actionName: "acceptInvitation" })
  .inputSchema(invitationTokenSchema)
  .action(async ({ ctx, parsedInput }) => acceptInvitation(db, ctx.user, parsedInput));
