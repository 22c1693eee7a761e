import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { type TestDatabase, createTestDatabase } from "@/tests/support/test-database";

// Both engines must end up with the same schema from the same drizzle/ migrations: the app runs on
// PGlite by default and on Postgres 15 when DATABASE_URL is set.
describe("migrations", () => {
  let pg: TestDatabase;
  let lite: TestDatabase;
  beforeAll(async () => {
    [pg, lite] = await Promise.all([createTestDatabase({ engine: "postgres" }), createTestDatabase({ engine: "pglite" })]);
  });
  afterAll(async () => {
    await Promise.all([pg?.close(), lite?.close()]);
  });

  test("every migration in drizzle/ is recorded as applied on both engines", async () => {
    const journal = JSON.parse(fs.readFileSync(path.join(process.cwd(), "drizzle/meta/_journal.json"), "utf8")) as { entries: unknown[] };
    for (const database of [pg, lite]) {
      const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(rows[0]!.n, database.kind).toBe(journal.entries.length);
    }
  });

  test("Postgres 15 and PGlite have the same tables and columns", async () => {
    const [pgColumns, liteColumns] = await Promise.all([columns(pg), columns(lite)]);
    expect(pgColumns.length).toBeGreaterThan(100);
    expect(liteColumns).toEqual(pgColumns);
  });

  test("Postgres 15 and PGlite have the same constraints and indexes", async () => {
    const [pgConstraints, liteConstraints] = await Promise.all([constraints(pg), constraints(lite)]);
    expect(pgConstraints.some((c) => c.type === "FOREIGN KEY")).toBe(true);
    expect(liteConstraints).toEqual(pgConstraints);
    const [pgIndexes, liteIndexes] = await Promise.all([indexes(pg), indexes(lite)]);
    expect(pgIndexes.length).toBeGreaterThan(20);
    expect(liteIndexes).toEqual(pgIndexes);
  });

  test("the search vector is kept in the message's row on both engines (migration 0009)", async () => {
    for (const database of [pg, lite]) {
      const [row] = await queryRows<{ storage: string }>(
        database.db,
        sql`select attstorage as storage from pg_attribute where attrelid = 'messages'::regclass and attname = 'search'`,
      );
      expect(row?.storage, database.kind).toBe("m");
    }
  });

  test("the server versions are the ones we claim to support", async () => {
    const [pgVersion] = await queryRows<{ v: number }>(pg.db, sql`select current_setting('server_version_num')::int as v`);
    expect(Math.floor(pgVersion!.v / 10000)).toBe(15);
    const [liteVersion] = await queryRows<{ v: number }>(lite.db, sql`select current_setting('server_version_num')::int as v`);
    expect(Math.floor(liteVersion!.v / 10000)).toBeGreaterThanOrEqual(15);
  });
});

async function columns(database: TestDatabase) {
  return queryRows<Record<string, string | null>>(
    database.db,
    sql`select table_name, column_name, data_type, udt_name, is_nullable, column_default, is_generated,
               generation_expression, character_maximum_length::text as max_length
          from information_schema.columns where table_schema = 'public'
         order by table_name, column_name`,
  );
}

async function constraints(database: TestDatabase) {
  // Not-null constraints are left out: PG 18 (PGlite) names and lists them differently; columns() covers them.
  const rows = await queryRows<{ table: string; name: string; type: string; definition: string }>(
    database.db,
    sql`select cl.relname as table, c.conname as name,
               case c.contype when 'c' then 'CHECK' when 'f' then 'FOREIGN KEY' when 'p' then 'PRIMARY KEY' when 'u' then 'UNIQUE' else c.contype::text end as type,
               pg_get_constraintdef(c.oid) as definition
          from pg_constraint c join pg_class cl on cl.oid = c.conrelid join pg_namespace n on n.oid = cl.relnamespace
         where n.nspname = 'public' and c.contype <> 'n'
         order by cl.relname, c.conname`,
  );
  return rows;
}

async function indexes(database: TestDatabase) {
  return queryRows<{ tablename: string; indexname: string; indexdef: string }>(
    database.db,
    sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by tablename, indexname`,
  );
}
