import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import { insertOrganization } from "@/tests/support/fixtures";
import { type TestDatabase, createTestDatabase, testPostgresUrl } from "@/tests/support/test-database";

const opened: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
});
async function open(engine: "postgres" | "pglite") {
  const database = await createTestDatabase({ engine });
  opened.push(database);
  return database;
}

test.each(["postgres", "pglite"] as const)("%s: every test database starts empty and migrated, and is its own", async (engine) => {
  const [a, b] = [await open(engine), await open(engine)];
  expect(a.kind).toBe(engine);
  await insertOrganization(a.db, "only-in-a");
  expect(await b.db.select().from(t.organizations)).toEqual([]);
  expect((await a.db.select().from(t.organizations).where(eq(t.organizations.slug, "only-in-a"))).length).toBe(1);
  const [row] = await queryRows<{ n: number }>(b.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  expect(row!.n).toBeGreaterThan(0);
});

test("Postgres: the URL works for other clients, and close() drops the database", async () => {
  const database = await createTestDatabase({ engine: "postgres" });
  expect(database.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/test_/);
  const client = postgres(database.url!, { max: 1, onnotice: () => {} });
  await client`insert into organizations (slug, name) values ('from-url', 'From URL')`;
  await client.end();
  expect(await database.db.select({ slug: t.organizations.slug }).from(t.organizations)).toEqual([{ slug: "from-url" }]);

  await database.close();
  const admin = postgres(testPostgresUrl(), { max: 1, onnotice: () => {} });
  const left = await admin`select 1 from pg_database where datname = ${database.name!}`;
  await admin.end();
  expect(left).toHaveLength(0);
});

test("the template itself cannot be connected to (so cloning it never fails on a stray session)", async () => {
  const client = postgres(testPostgresUrl("threadline_template"), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  await expect(client`select 1`).rejects.toThrow(/not currently accepting connections/);
  await client.end();
});
