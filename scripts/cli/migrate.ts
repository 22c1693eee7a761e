import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";

// openCliDatabase has already applied every migration; report what is there.
export async function migrate(_args: unknown, db: Database) {
  const rows = await queryRows<{ hash: string }>(db, sql`select hash from drizzle.__drizzle_migrations order by id`);
  return { ok: true, migrationsApplied: rows.length };
}
