"use server";

import { db } from "@/db";
import { createOrganizationSchema } from "@/lib/orgs/member-schemas";
import { startOrganization } from "@/lib/orgs/start-organization";
import { userAction } from "@/lib/safe-action";

export const createOrganizationAction = userAction
  .metadata({ actionName: "createOrganization" })
  .inputSchema(createOrganizationSchema)
  .action(async ({ ctx, parsedInput }) => startOrganization(db, ctx.user, parsedInput));
