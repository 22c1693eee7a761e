import { createSafeActionClient } from "next-safe-action";
import { ZodError, z } from "zod";
import { type AppErrorCode, invalid, isAppError } from "@/lib/tenancy/errors";
import { ROLES } from "@/lib/tenancy/permissions";
import { requireOrgContext, requireUser } from "@/lib/tenancy/require-org-context";

export type ActionError = { code: AppErrorCode | "internal"; message: string };

/**
 * Server actions are public HTTP endpoints: every one is built from `userAction` (signed in) or
 * `orgAction` (signed in + member of the organisation named by `slug` in its input, with
 * `metadata.requiredRole`). Both run the same guard as pages and route handlers.
 */
export const actionClient = createSafeActionClient({
  defineMetadataSchema: () => z.object({ actionName: z.string(), requiredRole: z.enum(ROLES).optional() }),
  handleServerError(error, { metadata }): ActionError {
    if (isAppError(error)) return { code: error.code, message: error.message };
    if (error instanceof ZodError) return { code: "invalid", message: error.issues[0]?.message ?? "The request is not valid." };
    console.error(`Server action ${metadata?.actionName ?? "?"} failed`, error);
    return { code: "internal", message: "Something went wrong on our side. Try again in a moment." };
  },
});

export const userAction = actionClient.use(async ({ next }) => next({ ctx: { user: await requireUser() } }));

export const orgAction = actionClient.use(async ({ next, clientInput, metadata }) => {
  const slug = (clientInput as { slug?: unknown } | undefined)?.slug;
  if (typeof slug !== "string") throw invalid("The organisation is missing from the request.");
  const org = await requireOrgContext(slug, { requiredRole: metadata.requiredRole ?? "member" });
  return next({ ctx: { org } });
});

/** Input schema of an org action: its own fields plus the organisation slug the guard resolves. */
export function orgInput<T extends z.ZodRawShape>(shape: T) {
  return z.object({ slug: z.string(), ...shape });
}
