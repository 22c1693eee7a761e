import { afterAll, beforeAll, expect, it } from "vitest";
import { getOrgOverview } from "@/lib/orgs/get-org-overview";
import { seedOrganizationGraph } from "@/tests/support/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.close();
});

it("counts only the organisation's own accounts, conversations, contacts and members", async () => {
  const a = await seedOrganizationGraph(testDb.db);
  await seedOrganizationGraph(testDb.db);
  await seedOrganizationGraph(testDb.db);
  expect(await getOrgOverview(testDb.db, { orgId: a.org.id })).toEqual({ accounts: 1, conversations: 1, contacts: 1, members: 1 });
});
