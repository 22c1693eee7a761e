import { ZodError } from "zod";
import type { Database } from "@/db/connect";
import { isAppError } from "./errors";
import { noTransaction } from "./no-transaction";
import type { GuardOptions, OrgContext } from "./org-context";
import { requireOrgContext } from "./require-org-context";
import { runAsOrg, withoutRowLevelSecurity } from "./run-as-org";

type SlugParams = { slug: string };
/**
 * `withoutRowLevelSecurity`: why the handler must run as the owner (see run-as-org.ts); its queries
 * filter by organisation themselves. `outsideTransaction`: why the handler must not hold a
 * transaction open (it talks to another server, or what it writes must be committed before it does);
 * it wraps each database step in `runAsOrg` and its `db` throws when used.
 */
type WithOrgOptions = GuardOptions & { withoutRowLevelSecurity?: string; outsideTransaction?: string };
/** `db` is the organisation's scoped database (runAsOrg): every query of the handler goes through it. */
type OrgRouteHandler<P extends SlugParams> = (
  request: Request,
  context: { org: OrgContext; params: P; db: Database; runAsOrg: <T>(work: (db: Database) => Promise<T>) => Promise<T> },
) => Promise<Response> | Response;

/**
 * The guard for route handlers under app/api/orgs/[slug]/…: the handler only runs for a member
 * with the required role, inside runAsOrg (Postgres confines it to the organisation too), and every
 * refusal is a JSON error with the right status.
 */
export function withOrg<P extends SlugParams>(handler: OrgRouteHandler<P>, options: WithOrgOptions = {}) {
  return async (request: Request, routeContext: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = await routeContext.params;
      const org = await requireOrgContext(params.slug, options);
      const run = (db: Database) => handler(request, { org, params, db, runAsOrg: (work) => work(db) });
      if (options.outsideTransaction) {
        const db = noTransaction("Route handler", new URL(request.url).pathname, "runAsOrg((db) => …)");
        return await handler(request, { org, params, db, runAsOrg: (work) => runAsOrg(org, work) });
      }
      if (options.withoutRowLevelSecurity) return await withoutRowLevelSecurity(options.withoutRowLevelSecurity, async (db) => run(db));
      return await runAsOrg(org, async (db) => run(db));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  if (error instanceof ZodError) {
    return Response.json({ error: { code: "invalid", message: "The request is not valid.", issues: error.issues } }, { status: 400 });
  }
  console.error("Unhandled error in route handler", error);
  return Response.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 });
}
