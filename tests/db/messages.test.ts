import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import { SQLSTATE, expectDatabaseError } from "@/tests/support/db-errors";
import { insertMailAccount, insertMailbox, insertMessage, insertOrganization } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";

const database = fileTestDatabase();
async function newAccount() {
  const org = await insertOrganization(database.db);
  return insertMailAccount(database.db, org.id);
}

describe("full-text search column", () => {
  test("is generated from subject (A), participants (B) and body (C)", async () => {
    const account = await newAccount();
    const message = await insertMessage(database.db, account, {
      subject: "Quarterly budget review",
      participantsText: "carol@enron.example Carol Finance",
      textBody: "Please find the spreadsheets attached before Thursday.",
    });
    const [row] = await queryRows<{ search: string | null }>(database.db, sql`select search::text as search from messages where id = ${message.id}`);
    expect(row!.search).toMatch(/'budget':\d+A/);
    expect(row!.search).toMatch(/'carol':\d+B/);
    expect(row!.search).toMatch(/'spreadsheet':\d+C/); // english stemming on the body
  });

  test("finds messages with websearch_to_tsquery and follows updates", async () => {
    const account = await newAccount();
    const hit = await insertMessage(database.db, account, { subject: "Pipeline capacity for Transwestern", textBody: "gas nominations" });
    await insertMessage(database.db, account, { subject: "Lunch", textBody: "sandwiches" });
    const search = (q: string) =>
      queryRows<{ id: string }>(database.db, sql`select id from messages where account_id = ${account.id} and search @@ websearch_to_tsquery('english', ${q})`);

    expect((await search("transwestern nominations")).map((r) => r.id)).toEqual([hit.id]);
    expect(await search("pizza")).toEqual([]);
    await database.db.update(t.messages).set({ textBody: "pizza tonight" }).where(eq(t.messages.id, hit.id));
    expect((await search("pizza")).map((r) => r.id)).toEqual([hit.id]);
  });

  test("is indexed with GIN, organisation first", async () => {
    const rows = await queryRows<{ indexdef: string }>(
      database.db,
      sql`select indexdef from pg_indexes where schemaname = 'public' and tablename = 'messages' and indexname = 'messages_org_search_idx'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.indexdef).toMatch(/USING gin \(org_id, search\)/);
  });

  test("cannot be written directly", async () => {
    const account = await newAccount();
    const message = await insertMessage(database.db, account);
    const error = await expectDatabaseError(database.db.execute(sql`update messages set search = to_tsvector('x') where id = ${message.id}`));
    expect(error.code).toBe("428C9"); // generated_always
  });
});

describe("one message in several mailboxes", () => {
  test("is one messages row with one message_locations row per mailbox", async () => {
    const account = await newAccount();
    const inbox = await insertMailbox(database.db, account, "INBOX");
    const archive = await insertMailbox(database.db, account, "Archive");
    const message = await insertMessage(database.db, account);
    await database.db.insert(t.messageLocations).values([
      { mailboxId: inbox.id, uid: 41, messageId: message.id, orgId: account.orgId, accountId: account.id, flags: ["\\Seen"] },
      { mailboxId: archive.id, uid: 7, messageId: message.id, orgId: account.orgId, accountId: account.id },
    ]);

    const messages = await database.db.select().from(t.messages).where(eq(t.messages.accountId, account.id));
    expect(messages).toHaveLength(1);
    const locations = await database.db.select().from(t.messageLocations).where(eq(t.messageLocations.messageId, message.id));
    expect(locations.map((l) => [l.mailboxId, l.uid, l.flags]).sort()).toEqual(
      [[inbox.id, 41, ["\\Seen"]], [archive.id, 7, []]].sort(),
    );

    // Removing the mail from one folder keeps the message for the other.
    await database.db.delete(t.mailboxes).where(eq(t.mailboxes.id, inbox.id));
    expect(await database.db.select().from(t.messages).where(eq(t.messages.id, message.id))).toHaveLength(1);
    const left = await database.db.select().from(t.messageLocations).where(eq(t.messageLocations.messageId, message.id));
    expect(left.map((l) => l.mailboxId)).toEqual([archive.id]);
  });

  test("a second row with the same dedupe key in the same account is refused", async () => {
    const account = await newAccount();
    await insertMessage(database.db, account, { dedupeKey: "gm:1766" });
    const error = await expectDatabaseError(insertMessage(database.db, account, { dedupeKey: "gm:1766" }));
    expect(error.code).toBe(SQLSTATE.uniqueViolation);
    // ...but another account may hold the same message.
    const other = await insertMailAccount(database.db, account.orgId);
    await expect(insertMessage(database.db, other, { dedupeKey: "gm:1766" })).resolves.toBeTruthy();
  });

  test("a UID is unique within a mailbox", async () => {
    const account = await newAccount();
    const inbox = await insertMailbox(database.db, account, "INBOX");
    const [a, b] = [await insertMessage(database.db, account), await insertMessage(database.db, account)];
    await database.db.insert(t.messageLocations).values({ mailboxId: inbox.id, uid: 1, messageId: a.id, orgId: account.orgId, accountId: account.id });
    const error = await expectDatabaseError(
      database.db.insert(t.messageLocations).values({ mailboxId: inbox.id, uid: 1, messageId: b.id, orgId: account.orgId, accountId: account.id }),
    );
    expect(error.code).toBe(SQLSTATE.uniqueViolation);
    const rows = await database.db.select().from(t.messageLocations).where(and(eq(t.messageLocations.mailboxId, inbox.id), eq(t.messageLocations.uid, 1)));
    expect(rows.map((r) => r.messageId)).toEqual([a.id]);
  });
});
