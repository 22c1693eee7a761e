"use server";

import { db } from "@/db";
import { checkInvitationLookupRate } from "@/lib/abuse/check-invitation-rate";
import { requestHeaders } from "@/lib/abuse/request-headers";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { invitationTokenSchema } from "@/lib/invitations/schemas";
import { userAction } from "@/lib/safe-action";

export const acceptInvitationAction = userAction
  .metadata({ actionName: "acceptInvitation" })
  .inputSchema(invitationTokenSchema)
  .action(async ({ ctx, parsedInput }) => {
    checkInvitationLookupRate(await requestHeaders());
    return acceptInvitation(db, ctx.user, parsedInput);
  });
