import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { listConversations } from "@/lib/conversations/list-conversations";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { getCompanyTimeline } from "@/lib/timeline/get-company-timeline";
import { getContactTimeline } from "@/lib/timeline/get-contact-timeline";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { type SeedAddress, seedAccount, seedThread } from "@/tests/tenancy/seed-mail";
import { seedWorld, type World } from "@/tests/tenancy/support";

/*
 * A contact's timeline on both engines: conversations ordered by the last message with the contact
 * (later messages without them don't move a thread up), every figure from the whole visible thread,
 * pages with the total, and the contact's header figures, all read through message_participants'
 * copies of thread, account and date.
 */

let testDb: TestDatabase;
let w: World;
let ctx: OrgContext;
let annId: string;
const own = "team@a.test";
const day = (d: number) => new Date(Date.UTC(2026, 3, d, 9));

beforeAll(async () => {
  testDb = await createTestDatabase();
  w = await seedWorld(testDb.db);
  ctx = { orgId: w.a.id, org: { id: w.a.id, slug: w.a.slug, name: "A", personal: false }, user: { id: w.a.owner.id, email: w.a.owner.email, name: null }, role: "owner" };
  const account = await seedAccount(testDb.db, { orgId: w.a.id, userId: w.a.owner.id, email: own });
  const ann = { email: "ann@acme.test", name: "Ann Archer" };
  const bo = { email: "bo@beta.test", name: "Bo" };
  const thread = (subject: string, messages: { from: SeedAddress; to: SeedAddress[]; d: number }[]) =>
    seedThread(testDb.db, { orgId: w.a.id, accountId: account.id, ownAddress: own, messages: messages.map((m) => ({ subject, from: m.from, to: m.to, at: day(m.d), text: `${subject} on day ${m.d}` })) });
  // Ann last wrote in "Early" on day 2, but the team kept talking there without her until day 20.
  await thread("Early", [
    { from: ann, to: [{ email: own }], d: 2 },
    { from: { email: own, name: null }, to: [bo], d: 20 },
  ]);
  await thread("Middle", [{ from: ann, to: [{ email: own }], d: 10 }]);
  await thread("Late", [
    { from: { email: own, name: null }, to: [ann], d: 11 },
    { from: ann, to: [{ email: own }], d: 12 },
    { from: ann, to: [{ email: own }], d: 13 },
  ]);
  await thread("Not hers", [{ from: bo, to: [{ email: own }], d: 25 }]);
  // Cy: an undated thread, and a chatty one whose 30 messages fill a page's first walk on their own.
  const cy = { email: "cy@cyan.test", name: "Cy" };
  const undated = await thread("Cy undated", [{ from: cy, to: [{ email: own }], d: 1 }]);
  await testDb.db.execute(sql`update messages set sent_at = null, received_at = null where thread_id = ${undated.id}`);
  await thread("Cy old", [{ from: cy, to: [{ email: own }], d: 3 }]);
  await thread("Cy older", [{ from: cy, to: [{ email: own }], d: 2 }]);
  await thread("Cy chatty", Array.from({ length: 30 }, (_, i) => ({ from: cy, to: [{ email: own }], d: 5 + i / 10 })));
  const [row] = await queryRows<{ id: string }>(testDb.db, sql`select id from contacts where org_id = ${w.a.id} and email = 'ann@acme.test'`);
  annId = row!.id;
});

afterAll(async () => {
  await testDb?.close();
});

it("orders a contact's conversations by the last message with them; figures cover the whole thread", async () => {
  const timeline = await getContactTimeline((work) => work(testDb.db), ctx, annId);
  const items = timeline!.conversations.items;
  expect(items.map((c) => c.subject)).toEqual(["Late", "Middle", "Early"]);
  expect(timeline!.conversations).toMatchObject({ total: 3, hasMore: false });
  const early = items.find((c) => c.subject === "Early")!;
  expect(early).toMatchObject({ messageCount: 2, firstAt: day(2), lastAt: day(20), snippet: "Early on day 20" });
  expect(early.participants.map((p) => p.email).sort()).toEqual(["ann@acme.test", "bo@beta.test", own]);
  expect(items[0]).toMatchObject({ messageCount: 3, firstAt: day(11), lastAt: day(13) });
  expect(timeline!.contact).toMatchObject({ email: "ann@acme.test", messageCount: 5, threadCount: 3, firstSeenAt: day(2), lastSeenAt: day(13) });
  expect(timeline!.contact.accounts).toEqual([{ id: expect.any(String), emailAddress: own, messages: 5 }]);
});

it("pages with the total", async () => {
  const page = (offset: number) => listConversations(testDb.db, ctx, { scope: { kind: "contact", contactId: annId }, limit: 2, offset });
  const [first, second] = [await page(0), await page(2)];
  expect(first.items.map((c) => c.subject)).toEqual(["Late", "Middle"]);
  expect(first).toMatchObject({ total: 3, hasMore: true });
  expect(second.items.map((c) => c.subject)).toEqual(["Early"]);
  expect(second).toMatchObject({ total: 3, hasMore: false });
});

it("a company's timeline follows the same order", async () => {
  const company = await getCompanyTimeline((work) => work(testDb.db), ctx, "acme.test");
  expect(company!.conversations.items.map((c) => c.subject)).toEqual(["Late", "Middle", "Early"]);
});

it("walks past a chatty thread and puts undated ones last", async () => {
  const [row] = await queryRows<{ id: string }>(testDb.db, sql`select id from contacts where org_id = ${w.a.id} and email = 'cy@cyan.test'`);
  const page = (limit: number, offset = 0) => listConversations(testDb.db, ctx, { scope: { kind: "contact", contactId: row!.id }, limit, offset });
  expect((await page(2)).items.map((c) => c.subject)).toEqual(["Cy chatty", "Cy old"]);
  expect((await page(10)).items.map((c) => c.subject)).toEqual(["Cy chatty", "Cy old", "Cy older", "Cy undated"]);
  expect(await page(1, 3)).toMatchObject({ total: 4, hasMore: false, items: [{ subject: "Cy undated", lastAt: null }] });
  const timeline = await getContactTimeline((work) => work(testDb.db), ctx, row!.id);
  expect(timeline!.contact).toMatchObject({ messageCount: 33, threadCount: 4 });
  expect(timeline!.conversations.total).toBe(4);
});
