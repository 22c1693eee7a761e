import { sql } from "drizzle-orm";
import { db as appDb } from "@/db";
import type { Database } from "@/db/connect";
import type { OrgContext } from "./org-context";

/** The database role of the web request path; Postgres row-level security confines it to one organisation. */
export const APP_ROLE = "threadline_app";
/** The transaction setting the policies read (drizzle/0005_row_level_security.sql: threadline_current_org()). */
export const ORG_SETTING = "threadline.org_id";

/**
 * Runs `work` in a transaction as the application role with the organisation set, so Postgres
 * itself hides and refuses every other organisation's rows, whatever a query forgets to filter.
 * The guard (withOrg, orgAction, pages) calls it after resolving the context; `work` must use the
 * `db` it is given: the global one would run as the owner, and on PGlite (one connection) waits for
 * this very transaction forever.
 */
export async function runAsOrg<T>(ctx: Pick<OrgContext, "orgId">, work: (db: Database) => Promise<T>, database: Database = appDb): Promise<T> {
  return database.transaction(async (tx) => {
    // Both reset themselves at the end of the transaction (is_local = true), whatever happens.
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config(${ORG_SETTING}, ${ctx.orgId}, true)`);
    return work(tx as unknown as Database);
  });
}
