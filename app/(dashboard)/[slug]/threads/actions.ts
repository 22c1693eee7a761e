"use server";

import { z } from "zod";
import { setSenderImagesAllowed } from "@/lib/conversations/allow-sender-images";
import { orgAction, orgInput } from "@/lib/safe-action";

/** "Always show images from this sender" (or stop), for the signed-in reader in this organisation. */
export const setSenderImagesAction = orgAction
  .metadata({ actionName: "setSenderImages", requiredRole: "member" })
  .inputSchema(orgInput({ messageId: z.string().max(64), allow: z.boolean() }))
  .action(async ({ ctx: { org, db }, parsedInput: { messageId, allow } }) => setSenderImagesAllowed(db, org, { messageId, allow }));
