import { z } from "zod";
import { INVITABLE_ROLES } from "@/lib/tenancy/permissions";

export const createInvitationSchema = z.object({
  role: z.enum(INVITABLE_ROLES).default("member"),
  // Optional: when set, only a user signed in with this address can accept. "" means anyone.
  email: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() || null : (value ?? null)),
    z.email("Enter a valid email address, or leave it empty").nullable(),
  ),
});

export const revokeInvitationSchema = z.object({ invitationId: z.uuid() });
export const invitationTokenSchema = z.object({ token: z.string().min(16).max(128) });
