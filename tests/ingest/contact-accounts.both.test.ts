import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import type { IncomingMessage, IngestAccount } from "@/lib/ingest/types";
import { deleteOrphanMessages } from "@/lib/sync/delete-orphan-messages";
import { fileTestDatabase } from "@/tests/support/test-database";
import { createAccount, incoming, mail } from "./fixtures";

/*
 * contact_accounts (a contact's figures per mailbox, summed for viewers who may not see every
 * mailbox) must always equal a count of the contact's mail in that mailbox: after batches of two
 * mailboxes, under the "replied" policy's late linking, and after mail is removed.
 */

const database = fileTestDatabase();
const ingest = (account: IngestAccount, items: IncomingMessage[]) => database.db.transaction((tx) => ingestMessages(tx, account, items));

type Figures = { email: string; account_id: string; n: number; first_at: string | null; last_at: string | null };

const kept = (orgId: string) =>
  normalise(
    queryRows<Figures>(
      database.db,
      sql`select c.email, ca.account_id, ca.message_count as n, ca.first_at, ca.last_at
        from contact_accounts ca join contacts c on c.id = ca.contact_id where ca.org_id = ${orgId} order by 1, 2`,
    ),
  );

const counted = (orgId: string) =>
  normalise(
    queryRows<Figures>(
      database.db,
      sql`select c.email, m.account_id, count(distinct m.id)::int as n, min(coalesce(m.sent_at, m.received_at)) as first_at, max(coalesce(m.sent_at, m.received_at)) as last_at
        from message_participants mp join messages m on m.id = mp.message_id join contacts c on c.id = mp.contact_id
        where mp.org_id = ${orgId} group by 1, 2 order by 1, 2`,
    ),
  );

async function normalise(rows: Promise<Figures[]>) {
  return (await rows).map((r) => ({ ...r, n: Number(r.n), first_at: pgTimestamp(r.first_at)?.toISOString() ?? null, last_at: pgTimestamp(r.last_at)?.toISOString() ?? null }));
}

async function twoMailboxes(policy: "all" | "replied") {
  const a = await createAccount(database.db, { policy, owner: "ann@team.example" });
  const b = { id: (await createAccount(database.db)).id, orgId: a.orgId, ownAddresses: ["ben@team.example"] };
  await database.db.execute(sql`update mail_accounts set org_id = ${a.orgId}, email_address = 'ben@team.example' where id = ${b.id}`);
  return { a, b };
}

const day = (d: number) => `Mon, ${String(d).padStart(2, "0")} Jan 2024 10:00:00 +0000`;

test("ingest keeps each contact's figures per mailbox equal to a count of their mail", async () => {
  const { a, b } = await twoMailboxes("all");
  await ingest(a, [
    await incoming(mail({ from: "Client <client@corp.example>", to: "ann@team.example", subject: "One", date: day(3), messageId: "1@x" })),
    await incoming(mail({ from: "ann@team.example", to: "client@corp.example", cc: "other@corp.example", subject: "Re: One", date: day(5), messageId: "2@x" })),
  ]);
  await ingest(a, [await incoming(mail({ from: "client@corp.example", to: "ann@team.example", cc: "client@corp.example", subject: "Two", date: day(9), messageId: "3@x" }))]);
  await ingest(b, [await incoming(mail({ from: "client@corp.example", to: "ben@team.example", subject: "Three", date: day(1), messageId: "4@x" }))]);

  const figures = await kept(a.orgId);
  expect(figures).toEqual(await counted(a.orgId));
  const client = figures.filter((f) => f.email === "client@corp.example");
  // Three messages in Ann's mailbox (one with the client twice), one in Ben's.
  expect(client.map((f) => [f.account_id, f.n]).sort()).toEqual([[a.id, 3], [b.id, 1]].sort());
  expect(client.find((f) => f.account_id === b.id)).toMatchObject({ first_at: "2024-01-01T10:00:00.000Z", last_at: "2024-01-01T10:00:00.000Z" });
});

test("under the replied policy, mail from before a person qualified is counted once they do", async () => {
  const { a } = await twoMailboxes("replied");
  await ingest(a, [await incoming(mail({ from: "lead@corp.example", to: "ann@team.example", subject: "Hello", date: day(2), messageId: "r1@x" }))]);
  expect(await kept(a.orgId)).toEqual([]);
  await ingest(a, [await incoming(mail({ from: "ann@team.example", to: "lead@corp.example", subject: "Re: Hello", date: day(4), messageId: "r2@x" }))]);
  const figures = await kept(a.orgId);
  expect(figures).toEqual(await counted(a.orgId));
  expect(figures).toMatchObject([{ email: "lead@corp.example", account_id: a.id, n: 2, first_at: "2024-01-02T10:00:00.000Z", last_at: "2024-01-04T10:00:00.000Z" }]);
});

test("removing a mailbox's mail removes its figures and leaves the other mailbox's", async () => {
  const { a, b } = await twoMailboxes("all");
  await ingest(a, [await incoming(mail({ from: "client@corp.example", to: "ann@team.example", subject: "A", date: day(6), messageId: "d1@x" }))]);
  await ingest(b, [await incoming(mail({ from: "client@corp.example", to: "ben@team.example", subject: "B", date: day(7), messageId: "d2@x" }))]);
  // No folder holds any of Ann's messages: all of them are orphans.
  expect(await deleteOrphanMessages(database.db, a)).toBe(1);
  const figures = await kept(a.orgId);
  expect(figures).toEqual(await counted(a.orgId));
  expect(figures).toMatchObject([{ email: "client@corp.example", account_id: b.id, n: 1 }]);
});
