import { z } from "zod";
import { ROLES } from "@/lib/tenancy/permissions";

export const changeRoleSchema = z.object({ userId: z.string().min(1), role: z.enum(ROLES) });
export const removeMemberSchema = z.object({ userId: z.string().min(1) });
export const createOrganizationSchema = z.object({
  name: z.string().trim().min(1, "Give the organisation a name").max(80, "Keep the name under 80 characters"),
  slug: z.string().trim().optional(),
});
