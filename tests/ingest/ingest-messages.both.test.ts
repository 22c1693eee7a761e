import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import type { IncomingMessage, IngestAccount } from "@/lib/ingest/types";
import { fileTestDatabase } from "@/tests/support/test-database";
import { createAccount, incoming, mail, snapshotCounts } from "./fixtures";

const database = fileTestDatabase();
const ingest = (account: IngestAccount, items: IncomingMessage[]) => database.db.transaction((tx) => ingestMessages(tx, account, items));

type ContactRow = { email: string; name: string | null; message_count: number; first_seen_at: string | Date | null; last_seen_at: string | Date | null; is_bulk: boolean };
const contactsOf = (orgId: string) =>
  queryRows<ContactRow>(database.db, sql`select email, name, message_count, first_seen_at, last_seen_at, is_bulk from contacts where org_id = ${orgId} order by email`);

const iso = (value: string | Date | null) => pgTimestamp(value)?.toISOString() ?? null;

describe("storing messages", () => {
  test("a batch is stored with participants, attachments and search text, and re-ingesting changes nothing", async () => {
    const account = await createAccount(database.db);
    const items = [
      await incoming(mail({ from: "Bob Smith <Bob@Example.com>", to: "me@example.com", cc: "Carol <carol@example.org>", subject: "Quarterly budget", date: "Mon, 14 May 2001 10:00:00 +0000", messageId: "q1@example.com", body: "The budget numbers are attached." })),
      await incoming(mail({ from: "me@example.com", to: "Bob Smith <bob@example.com>", subject: "Re: Quarterly budget", date: "Mon, 14 May 2001 12:00:00 +0000", messageId: "q2@example.com", inReplyTo: "q1@example.com", body: "Thanks Bob." })),
    ];
    const first = await ingest(account, items);
    expect([...first.keys()]).toEqual(items.map((i) => i.dedupeKey));
    const before = await snapshotCounts(database.db, account.orgId);
    expect(before).toMatchObject({ messages: 2, threads: 1, participants: 5, contacts: 2, contact_messages: 3, raw: 0 });
    const contactsBefore = await contactsOf(account.orgId);

    const second = await ingest(account, items);
    expect(second).toEqual(first);
    expect(await snapshotCounts(database.db, account.orgId)).toEqual(before);
    expect(await contactsOf(account.orgId)).toEqual(contactsBefore);

    const [row] = await queryRows<{ participants_text: string; from_address: string; from_name: string; sent_at: string | Date }>(
      database.db,
      sql`select participants_text, from_address, from_name, sent_at from messages where id = ${first.get(items[0]!.dedupeKey)!}`,
    );
    expect(row!.from_address).toBe("bob@example.com");
    expect(row!.from_name).toBe("Bob Smith");
    expect(iso(row!.sent_at)).toBe("2001-05-14T10:00:00.000Z");
    expect(row!.participants_text).toContain("Bob Smith");
    expect(row!.participants_text).toContain("carol@example.org");
  });

  test("duplicate dedupe keys inside a batch and across batches give one message", async () => {
    const account = await createAccount(database.db);
    const one = await incoming(mail({ from: "x@example.com", to: "me@example.com", subject: "dup", messageId: "dup@example.com" }));
    const ids = await ingest(account, [one, { ...one }, one]);
    expect(ids.size).toBe(1);
    const later = await ingest(account, [one, await incoming(mail({ from: "y@example.com", subject: "other" }))]);
    expect(later.get(one.dedupeKey)).toBe(ids.get(one.dedupeKey));
    expect((await snapshotCounts(database.db, account.orgId)).messages).toBe(2);
  });

  test("the same message in two accounts of the organisation is two messages in one thread", async () => {
    const a = await createAccount(database.db, { owner: "a@team.example" });
    const b = { id: (await createAccount(database.db)).id, orgId: a.orgId, ownAddresses: ["b@team.example"] };
    // createAccount made b in another org: move it into a's org for this test.
    await database.db.execute(sql`update mail_accounts set org_id = ${a.orgId} where id = ${b.id}`);
    const item = await incoming(mail({ from: "client@example.com", to: "a@team.example, b@team.example", subject: "Offer", messageId: "offer@example.com" }));
    const idA = (await ingest(a, [item])).get(item.dedupeKey);
    const idB = (await ingest(b, [item])).get(item.dedupeKey);
    expect(idA).not.toBe(idB);
    const threads = await queryRows<{ thread_id: string }>(database.db, sql`select distinct thread_id from messages where org_id = ${a.orgId}`);
    expect(threads).toHaveLength(1);
  });

  test("attachments are stored; small contents kept, has_attachments ignores inline images", async () => {
    const account = await createAccount(database.db);
    const source = Buffer.from(
      [
        "From: a@example.com",
        "Subject: files",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="m"',
        "",
        "--m",
        "Content-Type: text/plain",
        "",
        "see attached",
        "--m",
        "Content-Type: text/csv",
        'Content-Disposition: attachment; filename="numbers.csv"',
        "",
        "a,b\r\n1,2",
        "--m--",
        "",
      ].join("\r\n"),
    );
    const item = await incoming(source);
    const id = (await ingest(account, [item])).get(item.dedupeKey)!;
    const rows = await queryRows<{ filename: string; content_type: string; size: number; inline: boolean; checksum: string; content: Buffer | Uint8Array | null; has_attachments: boolean }>(
      database.db,
      sql`select a.filename, a.content_type, a.size, a.inline, a.checksum, a.content, m.has_attachments from attachments a join messages m on m.id = a.message_id where a.message_id = ${id}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ filename: "numbers.csv", content_type: "text/csv", inline: false, has_attachments: true });
    expect(Buffer.from(rows[0]!.content!).toString()).toBe("a,b\r\n1,2");
    expect(rows[0]!.checksum).toBe(item.parsed.attachments[0]!.checksum);
  });

  test("messages that failed to parse are kept with their raw source; huge sources are truncated", async () => {
    const account = await createAccount(database.db);
    const junk = Buffer.from("this is not an e-mail at all\u0000\n");
    const item = await incoming(junk);
    expect(item.parsed.parseError).toBeTruthy();
    const big = Buffer.concat([Buffer.from("no headers here "), Buffer.alloc(2000, 0x61)]);
    const bigItem = await incoming(big);
    const ids = await ingest(account, [item, bigItem]);
    const raw = await queryRows<{ message_id: string; source: Buffer | Uint8Array; truncated: boolean; parse_error: string }>(
      database.db,
      sql`select r.message_id, r.source, r.truncated, m.parse_error from message_raw r join messages m on m.id = r.message_id where r.org_id = ${account.orgId}`,
    );
    expect(raw).toHaveLength(2);
    const small = raw.find((r) => r.message_id === ids.get(item.dedupeKey))!;
    expect(Buffer.from(small.source).equals(junk)).toBe(true);
    expect(small.truncated).toBe(false);
    expect(small.parse_error).toBe(item.parsed.parseError);

    const capped = await createAccount(database.db);
    await database.db.transaction((tx) => ingestMessages(tx, capped, [bigItem], { rawSourceCap: 100 }));
    const [cut] = await queryRows<{ source: Buffer | Uint8Array; truncated: boolean }>(database.db, sql`select source, truncated from message_raw where org_id = ${capped.orgId}`);
    expect(cut!.truncated).toBe(true);
    expect(Buffer.from(cut!.source).equals(big.subarray(0, 100))).toBe(true);
  });
});

describe("contacts", () => {
  const conversation = async () => [
    // Bob writes first; we answer Bob and Carol; Dave only ever writes to us; a newsletter arrives.
    await incoming(mail({ from: "Bob <bob@example.com>", to: "me@example.com", subject: "Hello", date: "Mon, 14 May 2001 10:00:00 +0000", messageId: "c1@x" })),
    await incoming(mail({ from: "Me <ME@example.com>", to: "Bob Smith <bob@example.com>", cc: "carol@example.org", subject: "Re: Hello", date: "Tue, 15 May 2001 10:00:00 +0000", messageId: "c2@x", inReplyTo: "c1@x" })),
    await incoming(mail({ from: "dave@example.net", to: "me@example.com", subject: "Cold call", date: "Wed, 16 May 2001 10:00:00 +0000", messageId: "c3@x" })),
    await incoming(mail({ from: "news@shop.example", to: "me@example.com", subject: "Deals", date: "Thu, 17 May 2001 10:00:00 +0000", messageId: "c4@x", headers: ["List-Unsubscribe: <mailto:u@shop.example>"] })),
  ];

  test("policy all: every participant except own addresses; counters, names and bulk flags", async () => {
    const account = await createAccount(database.db, { policy: "all" });
    await ingest(account, await conversation());
    const contacts = await contactsOf(account.orgId);
    expect(contacts.map((c) => c.email)).toEqual(["bob@example.com", "carol@example.org", "dave@example.net", "news@shop.example"]);
    const bob = contacts[0]!;
    expect(bob).toMatchObject({ message_count: 2, name: "Bob Smith", is_bulk: false });
    expect(iso(bob.first_seen_at)).toBe("2001-05-14T10:00:00.000Z");
    expect(iso(bob.last_seen_at)).toBe("2001-05-15T10:00:00.000Z");
    expect(contacts[3]).toMatchObject({ is_bulk: true, message_count: 1 });
  });

  test("policy replied: only people we wrote to, with their earlier messages counted and linked", async () => {
    const account = await createAccount(database.db, { policy: "replied" });
    const [hello, reply, cold, news] = await conversation();
    // Bob's first message arrives in an earlier batch than our reply.
    await ingest(account, [hello!, cold!, news!]);
    expect(await contactsOf(account.orgId)).toEqual([]);
    await ingest(account, [reply!]);
    const contacts = await contactsOf(account.orgId);
    expect(contacts.map((c) => [c.email, c.message_count])).toEqual([
      ["bob@example.com", 2],
      ["carol@example.org", 1],
    ]);
    expect(iso(contacts[0]!.first_seen_at)).toBe("2001-05-14T10:00:00.000Z");
    const unlinked = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from message_participants where org_id = ${account.orgId} and email = 'bob@example.com' and contact_id is null`,
    );
    expect(unlinked[0]!.n).toBe(0);
    // A later message from Bob counts, since he is a contact now.
    await ingest(account, [await incoming(mail({ from: "bob@example.com", to: "me@example.com", subject: "Again", date: "Fri, 18 May 2001 10:00:00 +0000", messageId: "c5@x" }))]);
    expect((await contactsOf(account.orgId))[0]!.message_count).toBe(3);
  });

  test("policy none: no contacts, participants still recorded", async () => {
    const account = await createAccount(database.db, { policy: "none" });
    await ingest(account, await conversation());
    expect(await snapshotCounts(database.db, account.orgId)).toMatchObject({ contacts: 0, participants: 9 });
  });

  test("blocked addresses and domains never become contacts", async () => {
    const account = await createAccount(database.db, { blocked: ["dave@example.net", "shop.example", "@example.org"] });
    await ingest(account, await conversation());
    expect((await contactsOf(account.orgId)).map((c) => c.email)).toEqual(["bob@example.com"]);
  });
});

describe("threads", () => {
  const threadOf = async (orgId: string) => {
    const rows = await queryRows<{ message_id_header: string; thread_id: string }>(database.db, sql`select message_id_header, thread_id from messages where org_id = ${orgId}`);
    return Object.fromEntries(rows.map((r) => [r.message_id_header, r.thread_id]));
  };
  type ThreadRow = { id: string; subject: string; message_count: number; first_message_at: string | Date; last_message_at: string | Date; snippet: string };
  const threadRows = (orgId: string) =>
    queryRows<ThreadRow>(database.db, sql`select id, subject, message_count, first_message_at, last_message_at, snippet from threads where org_id = ${orgId} order by first_message_at`);

  const chain = async () => [
    await incoming(mail({ from: "a@x.com", to: "me@example.com", subject: "Plan", date: "Mon, 14 May 2001 10:00:00 +0000", messageId: "p1@x", body: "first" })),
    await incoming(mail({ from: "me@example.com", to: "a@x.com", subject: "Re: Plan", date: "Mon, 14 May 2001 11:00:00 +0000", messageId: "p2@x", inReplyTo: "p1@x", references: "<p1@x>", body: "second" })),
    await incoming(mail({ from: "a@x.com", to: "me@example.com", subject: "RE: plan", date: "Mon, 14 May 2001 12:00:00 +0000", messageId: "p3@x", inReplyTo: "p2@x", references: "<p1@x> <p2@x>", body: "third" })),
  ];

  test("References chain one thread, across batches, with correct figures", async () => {
    const account = await createAccount(database.db);
    const [m1, m2, m3] = await chain();
    await ingest(account, [m1!]);
    await ingest(account, [m2!, m3!]);
    const threads = await threadRows(account.orgId);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ subject: "Plan", message_count: 3, snippet: "third" });
    expect(iso(threads[0]!.first_message_at)).toBe("2001-05-14T10:00:00.000Z");
    expect(iso(threads[0]!.last_message_at)).toBe("2001-05-14T12:00:00.000Z");
  });

  test("parent arriving after its replies (newest-first sync) joins their thread", async () => {
    const account = await createAccount(database.db);
    const [m1, m2, m3] = await chain();
    await ingest(account, [m3!]);
    await ingest(account, [m2!]);
    await ingest(account, [m1!]);
    const threads = await threadRows(account.orgId);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ subject: "Plan", message_count: 3, snippet: "third" });
  });

  test("two threads linked by a late message are merged", async () => {
    const account = await createAccount(database.db);
    // Two replies to a missing root, with different subjects and no shared participants; then the root.
    const left = await incoming(mail({ from: "l@x.com", to: "me@example.com", subject: "Left", date: "Mon, 14 May 2001 11:00:00 +0000", messageId: "left@x", inReplyTo: "mid1@x" }));
    const right = await incoming(mail({ from: "r@x.com", to: "me@example.com", subject: "Right", date: "Mon, 14 May 2001 12:00:00 +0000", messageId: "right@x", inReplyTo: "mid2@x" }));
    await ingest(account, [left]);
    await ingest(account, [right]);
    expect(await threadRows(account.orgId)).toHaveLength(2);
    const bridge = await incoming(mail({ from: "b@x.com", to: "me@example.com", subject: "Bridge", date: "Mon, 14 May 2001 10:00:00 +0000", messageId: "mid1@x", references: "<mid2@x>" }));
    await ingest(account, [bridge]);
    const threads = await threadRows(account.orgId);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ message_count: 3, subject: "Bridge" });
    expect(new Set(Object.values(await threadOf(account.orgId))).size).toBe(1);
    // Participants carry copies of their message's thread, account and date (timelines read them).
    const copies = await participantCopies(account.orgId);
    expect(copies.length).toBeGreaterThanOrEqual(6);
    expect(copies.filter((c) => c.thread_id !== c.m_thread || c.account_id !== c.m_account || String(c.message_at) !== String(c.m_at))).toEqual([]);
    expect(new Set(copies.map((c) => c.thread_id)).size).toBe(1);
    // A changed date follows too.
    await database.db.execute(sql`update messages set sent_at = null, received_at = '2001-06-01T00:00:00Z' where org_id = ${account.orgId} and message_id_header = 'left@x'`);
    const moved = (await participantCopies(account.orgId)).filter((c) => c.message_id_header === "left@x");
    expect(moved.map((c) => pgTimestamp(c.message_at)?.toISOString())).toEqual(moved.map(() => "2001-06-01T00:00:00.000Z"));
  });

  test("without References: same normalised subject, shared participant, within 30 days", async () => {
    const account = await createAccount(database.db);
    const m = (id: string, subject: string, date: string, from = "ann@x.com", to = "me@example.com") =>
      incoming(mail({ from, to, subject, date, messageId: id }));
    await ingest(account, [
      await m("s1@x", "Budget review", "Mon, 14 May 2001 10:00:00 +0000"),
      await m("s2@x", "RE: [finance] Fwd: budget   REVIEW", "Tue, 22 May 2001 10:00:00 +0000", "me@example.com", "ann@x.com, joe@x.com"),
      // Same subject, a month and a half later: a new conversation.
      await m("s3@x", "Re: Budget review", "Mon, 02 Jul 2001 10:00:00 +0000"),
      // Same subject and time, but strangers: not the same conversation.
      await m("s4@x", "Budget review", "Tue, 15 May 2001 10:00:00 +0000", "zed@y.com", "someone@y.com"),
    ]);
    const t = await threadOf(account.orgId);
    expect(t["s2@x"]).toBe(t["s1@x"]);
    expect(t["s3@x"]).not.toBe(t["s1@x"]);
    expect(t["s4@x"]).not.toBe(t["s1@x"]);
    // A later batch still finds the existing subject thread.
    await ingest(account, [await m("s5@x", "re: budget review", "Wed, 23 May 2001 10:00:00 +0000", "joe@x.com")]);
    expect((await threadOf(account.orgId))["s5@x"]).toBe(t["s1@x"]);
  });

  test("X-GM-THRID groups messages of one account whatever their headers say", async () => {
    const account = await createAccount(database.db);
    const a = await incoming(mail({ from: "a@x.com", subject: "One", messageId: "g1@x" }), { gmThreadId: "1700000000000000001" });
    const b = await incoming(mail({ from: "b@y.com", subject: "Totally different", messageId: "g2@x" }), { gmThreadId: "1700000000000000001" });
    const c = await incoming(mail({ from: "a@x.com", subject: "One", messageId: "g3@x" }), { gmThreadId: "1700000000000000002" });
    await ingest(account, [a]);
    await ingest(account, [b, c]);
    const t = await threadOf(account.orgId);
    expect(t["g2@x"]).toBe(t["g1@x"]);
    expect(t["g3@x"]).not.toBe(t["g1@x"]);
  });

  test("bulk mail with a repeated subject is not subject-threaded", async () => {
    const account = await createAccount(database.db);
    const digest = (id: string, date: string) =>
      incoming(mail({ from: "noreply@news.example", to: "me@example.com", subject: "Your daily digest", date, messageId: id }));
    await ingest(account, [await digest("d1@x", "Mon, 14 May 2001 10:00:00 +0000"), await digest("d2@x", "Tue, 15 May 2001 10:00:00 +0000")]);
    expect(await threadRows(account.orgId)).toHaveLength(2);
  });
});

describe("robustness", () => {
  test("a batch carrying more references than Postgres has bind parameters", { timeout: 120_000 }, async () => {
    const account = await createAccount(database.db);
    const base = await incoming(mail({ from: "list@lists.example", to: "me@example.com", subject: "digest" }));
    const items = Array.from({ length: 700 }, (_, i) => ({
      ...base,
      dedupeKey: `test:${i}`,
      parsed: { ...base.parsed, messageIdHeader: `own-${i}@x`, references: Array.from({ length: 100 }, (_, j) => `ref-${i}-${j}@x`) },
    }));
    const ids = await ingest(account, items);
    expect(ids.size).toBe(700);
  });

  test("strings Postgres would refuse (NUL, lone surrogates) are cleaned even from a hand-made ParsedMessage", async () => {
    const account = await createAccount(database.db);
    const base = await incoming(mail({ from: "a@x.com", to: "me@example.com", subject: "ok" }));
    const poison = "bad\u0000text\ud800end";
    const item = {
      ...base,
      dedupeKey: "test:poison",
      parsed: {
        ...base.parsed,
        subject: poison,
        text: poison,
        html: `<p>${poison}</p>`,
        snippet: poison,
        from: { address: "a@x.com", name: poison },
        parseError: poison,
        attachments: [{ filename: poison, contentType: "text/plain", size: 3, contentId: poison, inline: false, checksum: null, content: Buffer.from("abc") }],
      },
    };
    const id = (await ingest(account, [item])).get("test:poison")!;
    const [row] = await queryRows<{ subject: string; text_body: string; from_name: string }>(database.db, sql`select subject, text_body, from_name from messages where id = ${id}`);
    expect(row).toEqual({ subject: "badtext\ufffdend", text_body: "badtext\ufffdend", from_name: "badtext\ufffdend" });
  });

  test("placeholder dates at the edge of the calendar do not break threading windows", async () => {
    const account = await createAccount(database.db);
    const items = [
      await incoming(mail({ from: "a@x.com", to: "me@example.com", subject: "Ancient", date: "Mon, 3 Jan 0001 00:00:00 +0000", messageId: "old1@x" })),
      await incoming(mail({ from: "a@x.com", to: "me@example.com", subject: "Re: Ancient", date: "Tue, 4 Jan 0001 00:00:00 +0000", messageId: "old2@x" })),
      await incoming(mail({ from: "a@x.com", to: "me@example.com", subject: "Future", date: "Fri, 31 Dec 9999 00:00:00 +0000", messageId: "far@x" })),
    ];
    expect(items[0]!.parsed.sentAt?.getUTCFullYear()).toBe(1);
    await ingest(account, items);
    await ingest(account, [await incoming(mail({ from: "a@x.com", to: "me@example.com", subject: "Re: Ancient", date: "Wed, 5 Jan 0001 00:00:00 +0000", messageId: "old3@x" }))]);
    const [row] = await queryRows<{ n: number }>(database.db, sql`select message_count as n from threads where org_id = ${account.orgId} and subject = 'Ancient'`);
    expect(row!.n).toBe(3);
  });
});

type ParticipantCopy = { message_id_header: string; thread_id: string | null; account_id: string | null; message_at: string | Date | null; m_thread: string | null; m_account: string; m_at: string | Date | null };

function participantCopies(orgId: string) {
  return queryRows<ParticipantCopy>(
    database.db,
    sql`select m.message_id_header, mp.thread_id, mp.account_id, mp.message_at, m.thread_id as m_thread, m.account_id as m_account,
      coalesce(m.sent_at, m.received_at) as m_at
    from message_participants mp join messages m on m.id = mp.message_id where mp.org_id = ${orgId}`,
  );
}
