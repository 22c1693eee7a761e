import { sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { mailAccounts } from "@/db/schema";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import type { IngestAccount } from "@/lib/ingest/types";
import { fileTestDatabase } from "@/tests/support/test-database";
import { createAccount, incoming, mail } from "./fixtures";

// Two accounts of one organisation syncing at once (several connections: Postgres only).
const database = fileTestDatabase({ engine: "postgres" });
let first: IngestAccount;
let second: IngestAccount;
beforeAll(async () => {
  first = await createAccount(database.db, { owner: "one@team.example" });
  const [row] = await database.db
    .insert(mailAccounts)
    .values({ orgId: first.orgId, provider: "imap", emailAddress: "two@team.example", imapHost: "127.0.0.1", imapPort: 143, imapUser: "two", authKind: "password" })
    .returning();
  second = { id: row!.id, orgId: first.orgId, ownAddresses: ["two@team.example"] };
});
const people = Array.from({ length: 200 }, (_, i) => `person${String(i).padStart(3, "0")}@clients.example`);
const batch = (owner: string, senders: string[], tag: string) =>
  Promise.all(senders.map((from) => incoming(mail({ from, to: owner, subject: `About ${from}`, messageId: `${tag}-${from}`, date: "Mon, 14 May 2001 10:00:00 +0000" }))));

test("two accounts upserting shared contacts in opposite orders do not deadlock", { timeout: 120_000 }, async () => {
  const [a1, a2, b] = await Promise.all([
    batch("one@team.example", people.slice(0, 100), "a1"),
    batch("one@team.example", people.slice(100), "a2"),
    batch("two@team.example", [...people].reverse(), "b"),
  ]);
  const monitor = postgres(database.url!, { max: 1, onnotice: () => {} });
  try {
    // A holds contacts 0-99; B then wants 199..0; then A wants 100-199. Upserts in batch order would
    // leave B holding 199-100 while waiting for 99, and A waiting for B: a deadlock. Sorted upserts
    // make B wait at 0 holding nothing.
    let bDone: Promise<unknown> | undefined;
    await database.db.transaction(async (tx) => {
      await ingestMessages(tx, first, a1);
      bDone = database.db.transaction((tx2) => ingestMessages(tx2, second, b));
      await waitForLockWait(monitor);
      await ingestMessages(tx, first, a2);
    });
    await bDone;
  } finally {
    await monitor.end({ timeout: 5 });
  }
  const [totals] = await queryRows<{ contacts: number; counted: number }>(
    database.db,
    sql`select count(*)::int as contacts, sum(message_count)::int as counted from contacts where org_id = ${first.orgId}`,
  );
  expect(totals).toEqual({ contacts: 200, counted: 400 });
});

test("the same new messages ingested twice at once are stored and counted once", { timeout: 120_000 }, async () => {
  const items = await batch("one@team.example", people.slice(0, 50), "c");
  const before = await queryRows<{ counted: number }>(database.db, sql`select sum(message_count)::int as counted from contacts where org_id = ${first.orgId}`);
  // The second transaction waits on the first's unique keys, inserts nothing and must count nothing.
  const [one, two] = await Promise.all([
    database.db.transaction((tx) => ingestMessages(tx, first, items)),
    database.db.transaction((tx) => ingestMessages(tx, first, items)),
  ]);
  expect(two).toEqual(one);
  const [after] = await queryRows<{ counted: number; messages: number; bad_threads: number }>(
    database.db,
    sql`select (select sum(message_count)::int from contacts where org_id = ${first.orgId}) as counted,
      (select count(*)::int from messages where org_id = ${first.orgId} and dedupe_key = any(${`{${items.map((i) => i.dedupeKey).join(",")}}`}::text[])) as messages,
      (select count(*)::int from threads t where t.org_id = ${first.orgId}
        and t.message_count <> (select count(*) from messages m where m.thread_id = t.id)) as bad_threads`,
  );
  expect(after).toEqual({ counted: before[0]!.counted + 50, messages: 50, bad_threads: 0 });
});

async function waitForLockWait(monitor: postgres.Sql) {
  for (let i = 0; i < 200; i++) {
    const [row] = await monitor`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    if (row!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the second transaction never waited for a lock");
}
