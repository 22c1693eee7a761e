"use server";

import { z } from "zod";
import { addBlockedSender } from "@/lib/contacts/add-blocked-sender";
import { CONTACT_POLICIES, MANAGE_CONTACT_SETTINGS_ROLE } from "@/lib/contacts/contact-settings-schemas";
import { removeBlockedSender } from "@/lib/contacts/remove-blocked-sender";
import { setContactPolicy } from "@/lib/contacts/set-contact-policy";
import { orgAction, orgInput } from "@/lib/safe-action";

export const setContactPolicyAction = orgAction
  .metadata({ actionName: "setContactPolicy", requiredRole: MANAGE_CONTACT_SETTINGS_ROLE })
  .inputSchema(orgInput({ policy: z.enum(CONTACT_POLICIES) }))
  .action(async ({ ctx: { org, db }, parsedInput: { policy } }) => setContactPolicy(db, org, policy));

export const addBlockedSenderAction = orgAction
  .metadata({ actionName: "addBlockedSender", requiredRole: MANAGE_CONTACT_SETTINGS_ROLE })
  .inputSchema(orgInput({ pattern: z.string().max(300) }))
  .action(async ({ ctx: { org, db }, parsedInput: { pattern } }) => addBlockedSender(db, org, pattern));

export const removeBlockedSenderAction = orgAction
  .metadata({ actionName: "removeBlockedSender", requiredRole: MANAGE_CONTACT_SETTINGS_ROLE })
  .inputSchema(orgInput({ id: z.string().max(64) }))
  .action(async ({ ctx: { org, db }, parsedInput: { id } }) => removeBlockedSender(db, org, id));
