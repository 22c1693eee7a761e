import { createSafeActionClient } from "next-safe-action";
import { ZodError, z } from "zod";
import type { Database } from "@/db/connect";
import { type AppErrorCode, invalid, isAppError } from "@/lib/tenancy/errors";
import { ROLES } from "@/lib/tenancy/permissions";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { requireOrgContext, requireUser } from "@/lib/tenancy/require-org-context";
import { noTransaction } from "@/lib/tenancy/no-transaction";
import { runAsOrg } from "@/lib/tenancy/run-as-org";

export type ActionError = { code: AppErrorCode | "internal"; message: string };

/**
 * Server actions are public HTTP endpoints: every one is built from `userAction` (signed in) or
 * `orgAction` (signed in + member of the organisation named by `slug` in its input, with
 * `metadata.requiredRole`). Both run the same guard as pages and route handlers.
 *
 * An org action runs in one transaction as the organisation (runAsOrg): `ctx.db` is the scoped
 * database, rolled back when the action fails. An action that talks to another server (a mail server,
 * an OAuth provider, the job runner) must not hold that transaction open: it declares
 * `outsideTransaction: "<why>"` and wraps each database step in `ctx.runAsOrg((db) => …)` instead.
 */
export const actionClient = createSafeActionClient({
  defineMetadataSchema: () =>
    z.object({ actionName: z.string(), requiredRole: z.enum(ROLES).optional(), outsideTransaction: z.string().min(1).optional() }),
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
  const proceed = (ctx: OrgActionContext) => next({ ctx });
  if (metadata.outsideTransaction) return proceed({ org, db: noTransaction("Server action", metadata.actionName, "ctx.runAsOrg((db) => …)"), runAsOrg: (work) => runAsOrg(org, work) });
  let failed: Awaited<ReturnType<typeof proceed>> | undefined;
  try {
    return await runAsOrg(org, async (db) => {
      const result = await proceed({ org, db, runAsOrg: (work) => work(db) });
      // next-safe-action reports the action's failure in the result instead of throwing it.
      if (result.serverError === undefined && result.validationErrors === undefined) return result;
      failed = result;
      throw ROLL_BACK;
    });
  } catch (error) {
    if (error === ROLL_BACK && failed) return failed;
    throw error;
  }
});

export type OrgActionContext = {
  org: OrgContext;
  /** The organisation's scoped database (runAsOrg). */
  db: Database;
  /** Runs database work as the organisation: the action's own transaction, or a new one outside it. */
  runAsOrg: <T>(work: (db: Database) => Promise<T>) => Promise<T>;
};

/** Input schema of an org action: its own fields plus the organisation slug the guard resolves. */
export function orgInput<T extends z.ZodRawShape>(shape: T) {
  return z.object({ slug: z.string(), ...shape });
}

const ROLL_BACK = Symbol("roll back the failed action's transaction");
