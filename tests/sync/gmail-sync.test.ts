import { sql } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";
import { type TestDatabase, createTestDatabase } from "../support/test-database";
import { type GmailMessage, type GmailServer, startGmailServer } from "./gmail-server";

// On a server with X-GM-EXT-1 the sync reads All Mail (plus Spam and Trash) only, keys messages by
// X-GM-MSGID, threads them by X-GM-THRID and keeps X-GM-LABELS on the location.
let gmail: GmailServer;
let database: TestDatabase;
let accountId: string;

const mail = (n: number, thread: number, labels: string[], extra = ""): GmailMessage => ({
  raw: `From: Bob <bob@example.test>\r\nTo: alice@gmail.test\r\nSubject: ${thread === 1 ? "Quarterly plan" : `Topic ${n}`}\r\nMessage-ID: <m${n}@example.test>\r\n${extra}Date: Mon, 5 Jan 2026 10:0${n}:00 +0000\r\n\r\nBody ${n}\r\n`,
  msgid: String(1_600_000_000_000_000_000n + BigInt(n)),
  thrid: String(1_600_000_000_000_000_000n + BigInt(thread)),
  labels,
});

beforeAll(async () => {
  const m1 = mail(1, 1, ["\\Inbox", "Work"]);
  [gmail, database] = await Promise.all([
    startGmailServer({
      all: [m1, mail(2, 1, ["\\Sent"]), mail(3, 3, ["\\Inbox"])],
      // The same message seen through the INBOX label: must not be read a second time.
      inbox: [m1],
      spam: [mail(4, 4, [])],
      trash: [mail(5, 5, [])],
    }),
    createTestDatabase(),
  ]);
  const [org] = await database.db.insert(t.organizations).values({ slug: "gmail-org", name: "Gmail org" }).returning();
  const [account] = await database.db
    .insert(t.mailAccounts)
    .values({ orgId: org!.id, provider: "gmail", emailAddress: gmail.user, imapHost: gmail.host, imapPort: gmail.port, imapSecurity: "none", imapUser: gmail.user, authKind: "password", encryptedPassword: encryptSecret(gmail.password) })
    .returning();
  accountId = account!.id;
});

afterAll(async () => {
  await Promise.all([gmail?.stop(), database?.close()]);
});

const sync = () =>
  syncAccount({ db: database.db, account: accountId, connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }) });

it("reads All Mail, Spam and Trash once each, keyed and threaded by Gmail's ids", async () => {
  const summary = await sync();
  expect(summary).toMatchObject({ outcome: "success", fetched: 5, added: 5 });
  const folders = await database.db.select({ path: t.mailboxes.path, specialUse: t.mailboxes.specialUse }).from(t.mailboxes);
  expect(folders.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
    { path: "[Gmail]/All Mail", specialUse: "all" },
    { path: "[Gmail]/Spam", specialUse: "junk" },
    { path: "[Gmail]/Trash", specialUse: "trash" },
  ]);
  const rows = await queryRows<{ dedupe_key: string; gm_msgid: string; gm_thrid: string; thread_id: string; labels: string[] | null; path: string }>(
    database.db,
    sql`select m.dedupe_key, m.gm_msgid, m.gm_thrid, m.thread_id, l.labels, b.path from messages m
      join message_locations l on l.message_id = m.id join mailboxes b on b.id = l.mailbox_id order by m.gm_msgid`,
  );
  expect(rows.map((r) => r.dedupe_key)).toEqual([1, 2, 3, 4, 5].map((n) => `gm:${1_600_000_000_000_000_000n + BigInt(n)}`));
  expect(rows[0]!.gm_thrid).toBe(String(1_600_000_000_000_000_001n));
  expect(rows[0]!.thread_id).toBe(rows[1]!.thread_id);
  expect(rows[2]!.thread_id).not.toBe(rows[0]!.thread_id);
  expect(rows[0]!.labels).toEqual(expect.arrayContaining(["Work", "\\Inbox"]));
});

it("follows label changes on the next pass without fetching bodies again", async () => {
  const client = new ImapFlow({ host: gmail.host, port: gmail.port, secure: false, doSTARTTLS: false, auth: { user: gmail.user, pass: gmail.password }, logger: false });
  await client.connect();
  await client.mailboxOpen("[Gmail]/All Mail");
  await client.messageFlagsAdd("3", ["Urgent"], { uid: true, useLabels: true });
  // The stand-in does not move HIGHESTMODSEQ for label changes (Gmail does); a flag change does.
  await client.messageFlagsAdd("3", ["\\Flagged"], { uid: true });
  await client.logout();

  const summary = await sync();
  expect(summary).toMatchObject({ outcome: "success", fetched: 0, added: 0 });
  expect(summary.updated).toBeGreaterThanOrEqual(1);
  const [row] = await queryRows<{ labels: string[]; flags: string[] }>(
    database.db,
    sql`select l.labels, l.flags from message_locations l join messages m on m.id = l.message_id where m.gm_msgid = ${String(1_600_000_000_000_000_003n)}`,
  );
  expect(row!.labels).toContain("Urgent");
  expect(row!.flags).toContain("\\Flagged");
});
