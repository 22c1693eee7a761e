import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import { seedOrganizationGraph } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";

const database = fileTestDatabase();
test("deleting an organisation removes every org-scoped row, and only its own", async () => {
  const doomed = await seedOrganizationGraph(database.db);
  const kept = await seedOrganizationGraph(database.db);
  // Read from the catalogue so a table added later is covered without touching this test.
  const tables = await orgScopedTables();
  expect(tables.length).toBeGreaterThanOrEqual(12);

  const before = await countsByTable(tables, doomed.org.id);
  expect(Object.entries(before).filter(([, n]) => n === 0).map(([table]) => table), "fixture misses these tables").toEqual([]);

  await database.db.delete(t.organizations).where(eq(t.organizations.id, doomed.org.id));

  const after = await countsByTable(tables, doomed.org.id);
  expect(Object.values(after).every((n) => n === 0), JSON.stringify(after)).toBe(true);
  expect(await countsByTable(tables, kept.org.id)).toEqual(before);
  // Users are global (they may belong to other organisations): only the membership goes.
  expect(await database.db.select().from(t.users).where(eq(t.users.id, doomed.user.id))).toHaveLength(1);
});

test("deleting a mail account removes its mailboxes, messages and locations but keeps the organisation", async () => {
  const graph = await seedOrganizationGraph(database.db);
  await database.db.delete(t.mailAccounts).where(eq(t.mailAccounts.id, graph.account.id));
  expect(await database.db.select().from(t.mailboxes).where(eq(t.mailboxes.accountId, graph.account.id))).toEqual([]);
  expect(await database.db.select().from(t.messages).where(eq(t.messages.accountId, graph.account.id))).toEqual([]);
  expect(await database.db.select().from(t.messageRaw).where(eq(t.messageRaw.orgId, graph.org.id))).toEqual([]);
  expect(await database.db.select().from(t.organizations).where(eq(t.organizations.id, graph.org.id))).toHaveLength(1);
  expect(await database.db.select().from(t.contacts).where(eq(t.contacts.orgId, graph.org.id))).toHaveLength(1);
});

async function orgScopedTables(): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    database.db,
    sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'org_id' order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function countsByTable(tables: string[], orgId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${orgId}`);
    counts[table] = row!.n;
  }
  return counts;
}
