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
    // All reset themselves at the end of the transaction (is_local = true), whatever happens. No JIT:
    // a request's queries take milliseconds, and compiling one whose estimate passes jit_above_cost
    // takes over 100 (set here, not when connecting: poolers such as PgBouncer refuse the parameter).
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config(${ORG_SETTING}, ${ctx.orgId}, true), set_config('jit', 'off', true)`);
    return work(tx as unknown as Database);
  });
}

/**
 * The one sanctioned way past the second wall, for a query row-level security makes unusably slow:
 * policies let Postgres use an index only for leakproof conditions, so full-text (`@@`) and
 * substring matches fall back to reading every row of the organisation (search at 31k messages:
 * 11 ms → 0.5 s for a rare word, 0.7 s → 8 s for `from:… word`). `work` gets the owner's database
 * and must filter by organisation itself; every caller is listed with `reason` in
 * tests/tenancy/scoped-database.test.ts.
 */
export async function withoutRowLevelSecurity<T>(reason: string, work: (db: Database) => Promise<T>, database: Database = appDb): Promise<T> {
  if (!reason.trim()) throw new Error("withoutRowLevelSecurity needs the reason the query cannot run as the organisation");
  return work(database);
}
