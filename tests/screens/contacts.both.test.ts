import { afterAll, beforeAll, expect, it } from "vitest";
import { blockedSenders } from "@/db/schema";
import { parseContactListParams } from "@/lib/contacts/contact-list-params";
import { listCompanies } from "@/lib/contacts/list-companies";
import { listContacts } from "@/lib/contacts/list-contacts";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { getCompanyTimeline } from "@/lib/timeline/get-company-timeline";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { seedAccount, seedThread } from "@/tests/tenancy/seed-mail";
import { seedWorld, type World } from "@/tests/tenancy/support";

/*
 * The contact list and companies on both engines: search by name or address (LIKE wildcards taken
 * literally), every sort, bulk senders on request, the blocklist, pages; companies by domain without
 * free mail or bulk senders.
 */

let testDb: TestDatabase;
let w: World;
let ctx: OrgContext;
const day = (d: number) => new Date(Date.UTC(2026, 3, d));

beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await seedWorld(testDb.db);
  ctx = { orgId: w.a.id, org: { id: w.a.id, slug: w.a.slug, name: "A", personal: false }, user: { id: w.a.member.id, email: w.a.member.email, name: null }, role: "member" };
  const own = "team@a.test";
  const account = await seedAccount(testDb.db, { orgId: w.a.id, userId: w.a.owner.id, email: own });
  const mail = (from: string, name: string | null, d: number, extra: { cc?: string[]; bulk?: boolean } = {}) =>
    seedThread(testDb.db, {
      orgId: w.a.id,
      accountId: account.id,
      ownAddress: own,
      messages: [{ subject: `From ${from}`, from: { email: from, name }, to: [{ email: own }], cc: (extra.cc ?? []).map((email) => ({ email })), at: day(d), isBulk: extra.bulk, text: "x" }],
    });
  await mail("ann@acme.test", "Ann Archer", 1, { cc: ["zed@acme.test"] });
  await mail("ann@acme.test", "Ann Archer", 5);
  await mail("ann@acme.test", "Ann Archer", 6);
  await mail("bo@beta.test", "Bo Baker", 7);
  await mail("cy@gmail.com", "Cy Cole", 3);
  await mail("deals@shop.test", "Shop Deals", 9, { bulk: true });
  await mail("odd_100%@weird.test", null, 2);
  await mail("eve@sub.spam.test", "Eve", 4);
  await testDb.db.insert(blockedSenders).values([{ orgId: w.a.id, pattern: "spam.test" }]);
});

afterAll(async () => {
  await testDb?.close();
});

const emails = async (query: Record<string, string>, pageSize?: number) =>
  (await listContacts(testDb.db, ctx, { ...parseContactListParams(query), pageSize })).rows.map((r) => r.email);

it("lists people by last contact, newest first, without bulk senders, blocked domains or own addresses", async () => {
  expect(await emails({})).toEqual(["bo@beta.test", "ann@acme.test", "cy@gmail.com", "odd_100%@weird.test", "zed@acme.test"]);
  expect(await emails({ bulk: "1" })).toEqual(["deals@shop.test", "bo@beta.test", "ann@acme.test", "cy@gmail.com", "odd_100%@weird.test", "zed@acme.test"]);
});

it("sorts by messages, name and company, either way", async () => {
  expect((await emails({ sort: "messages" }))[0]).toBe("ann@acme.test");
  expect(await emails({ sort: "name" })).toEqual(["ann@acme.test", "bo@beta.test", "cy@gmail.com", "odd_100%@weird.test", "zed@acme.test"]);
  expect(await emails({ sort: "name", dir: "desc" })).toEqual(["zed@acme.test", "odd_100%@weird.test", "cy@gmail.com", "bo@beta.test", "ann@acme.test"]);
  // Companies A→Z, people at free-mail domains last.
  expect(await emails({ sort: "company" })).toEqual(["ann@acme.test", "zed@acme.test", "bo@beta.test", "odd_100%@weird.test", "cy@gmail.com"]);
});

it("searches names and addresses as substrings, wildcards literally", async () => {
  expect(await emails({ q: "ARCH" })).toEqual(["ann@acme.test"]);
  expect(await emails({ q: "@acme" })).toEqual(["ann@acme.test", "zed@acme.test"]);
  expect(await emails({ q: "_100%" })).toEqual(["odd_100%@weird.test"]);
  expect(await emails({ q: "%" })).toEqual(["odd_100%@weird.test"]);
  expect(await emails({ q: "nobody" })).toEqual([]);
});

it("pages, with the total, and ignores unreadable URL values", async () => {
  const first = await listContacts(testDb.db, ctx, { ...parseContactListParams({ sort: "name" }), pageSize: 2 });
  const third = await listContacts(testDb.db, ctx, { ...parseContactListParams({ sort: "name", page: "3" }), pageSize: 2 });
  expect(first).toMatchObject({ total: 5, pageCount: 3, page: 1 });
  expect(third.rows.map((r) => r.email)).toEqual(["zed@acme.test"]);
  const beyond = await listContacts(testDb.db, ctx, { ...parseContactListParams({ page: "9" }), pageSize: 2 });
  expect(beyond).toMatchObject({ rows: [], total: 5 });
  expect(parseContactListParams({ sort: "evil';--", page: "-4", dir: "sideways", bulk: "maybe" })).toEqual({ q: "", sort: "last", dir: undefined, bulk: false, page: 1 });
});

it("groups companies by domain without free mail, bulk senders or blocked domains; company pages follow", async () => {
  const companies = await listCompanies(testDb.db, ctx);
  // Latest contact first.
  expect(companies.rows.map((c) => [c.domain, c.people, c.messages])).toEqual([
    ["beta.test", 1, 1],
    ["acme.test", 2, 4],
    ["weird.test", 1, 1],
  ]);
  const acme = await getCompanyTimeline((work) => work(testDb.db), ctx, "ACME.test");
  expect(acme?.people.rows.map((p) => p.email)).toEqual(["ann@acme.test", "zed@acme.test"]);
  expect(acme?.conversations.items.map((c) => [c.subject, c.lastAt?.getUTCDate()])).toEqual([
    ["From ann@acme.test", 6],
    ["From ann@acme.test", 5],
    ["From ann@acme.test", 1],
  ]);
  expect(await getCompanyTimeline((work) => work(testDb.db), ctx, "gmail.com")).toBeNull();
  expect(await getCompanyTimeline((work) => work(testDb.db), ctx, "spam.test")).toBeNull();
  expect(await getCompanyTimeline((work) => work(testDb.db), ctx, "../etc")).toBeNull();
});
