import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as bodyRoute } from "@/app/api/orgs/[slug]/messages/[id]/body/route";
import { GET as headersRoute } from "@/app/api/orgs/[slug]/messages/[id]/headers/route";
import { getContact } from "@/lib/contacts/get-contact";
import { listContacts } from "@/lib/contacts/list-contacts";
import { getConversation } from "@/lib/conversations/get-conversation";
import { listConversations } from "@/lib/conversations/list-conversations";
import { getCompanyTimeline } from "@/lib/timeline/get-company-timeline";
import { getContactTimeline } from "@/lib/timeline/get-contact-timeline";
import type { Visibility } from "@/lib/conversations/visibility";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { seedAccount, seedThread } from "@/tests/tenancy/seed-mail";
import { appTestDatabase, seedWorld, signInAs, type World } from "@/tests/tenancy/support";

vi.mock("@/auth", () => ({ auth: vi.fn(async () => null), signIn: vi.fn(), signOut: vi.fn(), handlers: {}, AuthError: class extends Error {} }));

/*
 * The visibility rule end to end (lib, then the guarded routes), on both engines: organisation A's
 * owner links four mailboxes, one per visibility level, each with one conversation with a different
 * person. The owner sees everything; the member and the admin see what each level grants.
 */

const LEVELS: Visibility[] = ["private", "metadata", "subject", "shared"];

const testDb = appTestDatabase();
let w: World;
const seeded: Record<Visibility, { threadId: string; messageId: string; person: string; subject: string; text: string }> = {} as never;
let mixed: { threadId: string; privateText: string; sharedText: string; person: string };

const ctxOf = (user: { id: string; email: string }, role: OrgContext["role"]): OrgContext => ({
  orgId: w.a.id,
  org: { id: w.a.id, slug: w.a.slug, name: "A", personal: false },
  user: { id: user.id, email: user.email, name: null },
  role,
});

beforeAll(async () => {
  w = await seedWorld(testDb.db);
  const db = testDb.db;
  for (const level of LEVELS) {
    const own = `owner-${level}@a.test`;
    const account = await seedAccount(db, { orgId: w.a.id, userId: w.a.owner.id, email: own, visibility: level });
    const person = `person-${level}@corp-${level}.test`;
    const subject = `Subject seen at ${level}`;
    const text = `Body text only shared readers see (${level})`;
    const thread = await seedThread(db, {
      orgId: w.a.id,
      accountId: account.id,
      ownAddress: own,
      messages: [
        { subject, from: { email: person, name: `Person ${level}` }, to: [{ email: own }], text, html: `<p>${text}</p>`, attachments: [{ filename: "a.txt", contentType: "text/plain", content: Buffer.from("a") }] },
        { subject: `Re: ${subject}`, from: { email: own }, to: [{ email: person }], text: `Reply (${level})` },
      ],
    });
    seeded[level] = { threadId: thread.id, messageId: thread.messages[0]!.id, person, subject, text };
  }

  // One conversation seen by two mailboxes: the owner's private one holds a later message than the
  // member's shared one. Others must not learn anything from the private message.
  const privateAccount = await seedAccount(db, { orgId: w.a.id, userId: w.a.owner.id, email: "owner-mixed@a.test", visibility: "private" });
  const sharedAccount = await seedAccount(db, { orgId: w.a.id, userId: w.a.member.id, email: "member-mixed@a.test", visibility: "shared" });
  const person = "mixed@both.test";
  const shared = await seedThread(db, {
    orgId: w.a.id,
    accountId: sharedAccount.id,
    ownAddress: "member-mixed@a.test",
    messages: [{ subject: "Mixed thread", from: { email: person }, to: [{ email: "member-mixed@a.test" }], text: "shared words", at: new Date(Date.UTC(2026, 1, 1)) }],
  });
  const hidden = await seedThread(db, {
    orgId: w.a.id,
    accountId: privateAccount.id,
    ownAddress: "owner-mixed@a.test",
    messages: [{ subject: "Private follow-up", from: { email: person }, to: [{ email: "owner-mixed@a.test" }], text: "private words", at: new Date(Date.UTC(2026, 1, 9)) }],
  });
  // Threading put both in one thread.
  await db.execute(sqlMove(hidden.messages[0]!.id, shared.id));
  mixed = { threadId: shared.id, privateText: "private words", sharedText: "shared words", person };
});

describe.each([
  ["the account owner", () => ctxOf(w.a.owner, "owner"), true],
  ["another member", () => ctxOf(w.a.member, "member"), false],
  ["an admin of the organisation", () => ctxOf(w.a.admin, "admin"), false],
] as const)("as %s", (_label, ctx, isOwner) => {
  it.each(LEVELS)("%s mailbox: home, timeline, thread and contact show what the rule allows", async (level) => {
    const s = seeded[level];
    const expected = isOwner ? "full" : ({ private: "none", metadata: "metadata", subject: "subject", shared: "full" } as const)[level];
    const recent = await listConversations(testDb.db, ctx(), { scope: { kind: "recent" }, limit: 50 });
    const item = recent.items.find((i) => i.threadId === s.threadId);
    const conversation = await getConversation(testDb.db, ctx(), s.threadId);
    const contacts = await listContacts(testDb.db, ctx(), { q: s.person, sort: "last", bulk: false, page: 1 });
    const contactId = contacts.rows[0]?.id;

    const company = await getCompanyTimeline((work) => work(testDb.db), ctx(), `corp-${level}.test`);

    if (expected === "none") {
      expect(item).toBeUndefined();
      expect(conversation).toBeNull();
      expect(contacts.rows).toEqual([]);
      // Not even as a count: a conversation only in a hidden mailbox does not exist for the viewer.
      expect(company?.conversations ?? { items: [], total: 0 }).toMatchObject({ items: [], total: 0 });
      return;
    }
    expect(company!.conversations).toMatchObject({ items: [expect.objectContaining({ threadId: s.threadId })], total: 1 });
    expect(item).toMatchObject({ access: expected, messageCount: 2 });
    expect(item!.participants.map((p) => p.email).sort()).toEqual([`owner-${level}@a.test`, s.person].sort());
    expect(item!.subject).toBe(expected === "metadata" ? null : s.subject);
    expect(item!.snippet).toBe(expected === "full" ? "Reply (" + level + ")" : null);
    expect(item!.hasAttachments).toBe(expected === "full");

    expect(conversation!.messages).toHaveLength(2);
    const first = conversation!.messages[0]!;
    expect(first.access).toBe(expected);
    expect(first.from?.email).toBe(s.person);
    expect(first.subject).toBe(expected === "metadata" ? null : s.subject);
    expect(first.textBody).toBe(expected === "full" ? s.text : null);
    expect(first.html !== null).toBe(expected === "full");
    expect(first.attachments.length).toBe(expected === "full" ? 1 : 0);
    expect(JSON.stringify(conversation)).toContain(s.person);
    if (expected !== "full") expect(JSON.stringify(conversation)).not.toContain(s.text);
    if (expected === "metadata") expect(JSON.stringify(conversation)).not.toContain("Subject seen at");

    const timeline = await getContactTimeline((work) => work(testDb.db), ctx(), contactId!);
    expect(timeline!.contact).toMatchObject({ email: s.person, messageCount: 2, threadCount: 1 });
    expect(timeline!.conversations.items.map((i) => i.threadId)).toEqual([s.threadId]);
  });

  it.each(LEVELS)("%s mailbox: the body and headers routes answer as the rule allows", async (level) => {
    const s = seeded[level];
    const viewer = ctx().user;
    signInAs({ id: viewer.id, email: viewer.email });
    const params = { params: Promise.resolve({ slug: w.a.slug, id: s.messageId }) };
    const body = await bodyRoute(new Request(`http://localhost/api/orgs/${w.a.slug}/messages/${s.messageId}/body`), params);
    const headers = await headersRoute(new Request(`http://localhost/api/orgs/${w.a.slug}/messages/${s.messageId}/headers`), {
      params: Promise.resolve({ slug: w.a.slug, id: s.messageId }),
    });
    const full = isOwner || level === "shared";
    expect(body.status).toBe(full ? 200 : 404);
    if (full) expect(await body.text()).toContain(s.text);
    else expect(await body.text()).not.toContain(s.text);
    expect(headers.status).toBe(isOwner || level !== "private" ? 200 : 404);
    if (headers.status === 200) {
      const fields = ((await headers.json()) as { fields: { name: string; value: string }[] }).fields;
      expect(fields.some((f) => f.name === "Subject")).toBe(isOwner || level === "subject" || level === "shared");
      expect(fields.some((f) => f.name === "Message-ID")).toBe(full);
    }
  });
});

describe("a conversation seen by a private and a shared mailbox", () => {
  it("shows others only the shared copy: count, dates, snippet and contact figures leak nothing", async () => {
    const admin = ctxOf(w.a.admin, "admin");
    const recent = await listConversations(testDb.db, admin, { scope: { kind: "recent" }, limit: 50 });
    const item = recent.items.find((i) => i.threadId === mixed.threadId)!;
    expect(item).toMatchObject({ messageCount: 1, snippet: mixed.sharedText, subject: "Mixed thread" });
    expect(item.lastAt?.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    const conversation = await getConversation(testDb.db, admin, mixed.threadId);
    expect(conversation!.messages.map((m) => m.textBody)).toEqual([mixed.sharedText]);
    expect(JSON.stringify(conversation)).not.toContain(mixed.privateText);
    expect(JSON.stringify(conversation)).not.toContain("Private follow-up");

    const [contact] = (await listContacts(testDb.db, admin, { q: mixed.person, sort: "last", bulk: false, page: 1 })).rows;
    expect(contact).toMatchObject({ email: mixed.person, messageCount: 1 });
    expect(contact!.lastSeenAt?.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    // Unfiltered, every contact is recounted (a filter recounts only its matches): the same figures,
    // and the person known only from the private mailbox is not there.
    const everyone = (await listContacts(testDb.db, admin, { q: "", sort: "last", bulk: false, page: 1, pageSize: 200 })).rows;
    expect(everyone.find((c) => c.email === mixed.person)).toEqual(contact);
    expect(everyone.map((c) => c.email)).not.toContain(seeded.private.person);
    expect((await getContact(testDb.db, admin, contact!.id))?.accounts.map((a) => a.emailAddress)).toEqual(["member-mixed@a.test"]);

    // The owner of the private mailbox sees both.
    const owner = ctxOf(w.a.owner, "owner");
    const own = await getConversation(testDb.db, owner, mixed.threadId);
    expect(own!.messages.map((m) => m.textBody)).toEqual([mixed.sharedText, mixed.privateText]);
    const [ownContact] = (await listContacts(testDb.db, owner, { q: mixed.person, sort: "last", bulk: false, page: 1 })).rows;
    expect(ownContact).toMatchObject({ messageCount: 2 });
  });

  it("never shows another organisation's conversation, even by id", async () => {
    expect(await getConversation(testDb.db, ctxOf(w.a.owner, "owner"), w.b.mail.threadId)).toBeNull();
  });
});

function sqlMove(messageId: string, threadId: string) {
  return sql`update messages set thread_id = ${threadId} where id = ${messageId}`;
}
