import { afterAll, beforeAll, expect, test } from "vitest";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createAccount, incoming, mail, snapshotCounts } from "./fixtures";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

test("smoke", async () => {
  const { db } = database;
  const account = await createAccount(db);
  const items = [
    await incoming(mail({ from: "Bob <bob@x.com>", to: "me@example.com", subject: "Hi", date: "Mon, 14 May 2001 16:39:00 -0700", messageId: "a@x" })),
    await incoming(mail({ from: "me@example.com", to: "Bob <bob@x.com>", subject: "Re: Hi", date: "Mon, 14 May 2001 17:39:00 -0700", messageId: "b@x", inReplyTo: "a@x" })),
  ];
  const ids = await db.transaction((tx) => ingestMessages(tx, account, items));
  expect(ids.size).toBe(2);
  console.log(await snapshotCounts(db, account.orgId));
  const again = await db.transaction((tx) => ingestMessages(tx, account, items));
  expect(again).toEqual(ids);
  console.log(await snapshotCounts(db, account.orgId));
});
