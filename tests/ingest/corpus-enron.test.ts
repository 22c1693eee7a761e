import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import type { IncomingMessage, IngestAccount } from "@/lib/ingest/types";
import { searchMessages } from "@/lib/search/search-messages";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { corpusDir, corpusFiles, skipMessage } from "./corpus";
import { createAccount, incoming } from "./fixtures";

const dir = corpusDir("enron");
if (!dir) console.warn(skipMessage("enron"));
const OWNER = "susan.bailey@enron.com";

describe.skipIf(!dir)("Enron corpus (3,110 real messages)", () => {
  let database: TestDatabase;
  let account: IngestAccount;
  let items: IncomingMessage[];
  const q = <T>(query: ReturnType<typeof sql>) => queryRows<T>(database.db, query);

  beforeAll(async () => {
    database = await createTestDatabase({ engine: "postgres" });
    account = await createAccount(database.db, { owner: OWNER });
    items = [];
    for (const file of corpusFiles(dir!)) items.push(await incoming(file.source));
    for (let i = 0; i < items.length; i += 500) {
      await database.db.transaction((tx) => ingestMessages(tx, account, items.slice(i, i + 500)));
    }
  }, 600_000);
  afterAll(() => database?.close());

  test("every message is stored once (identical files share a content hash)", async () => {
    const [row] = await q<{ n: number }>(sql`select count(*)::int as n from messages where org_id = ${account.orgId}`);
    expect(items.length).toBe(3110);
    expect(row!.n).toBe(new Set(items.map((i) => i.dedupeKey)).size);
  });

  test("contacts: about 3,000 real addresses, names decoded, no own address or Exchange DNs", async () => {
    const contacts = await q<{ email: string; name: string | null; domain: string; message_count: number }>(
      sql`select email, name, domain, message_count from contacts where org_id = ${account.orgId}`,
    );
    expect(contacts.length).toBeGreaterThan(2700);
    expect(contacts.length).toBeLessThan(3100);
    expect(contacts.find((c) => c.email === OWNER)).toBeUndefined();
    for (const c of contacts) {
      expect(c.email).toMatch(/^[^\s@<>"/]+@[^\s@<>"]+\.[a-z0-9-]+$/);
      expect(c.email).toBe(c.email.toLowerCase());
      expect(c.email.endsWith(`@${c.domain}`)).toBe(true);
      expect(c.message_count).toBeGreaterThan(0);
    }
    expect(contacts.find((c) => c.email === "ed_hlopak@enron.net")?.name).toBe("Hlopak Ed");
    expect(contacts.filter((c) => c.name?.includes("=?")).length).toBe(0);
  });

  test("threads: around the 525 subject threads, and a known conversation held together", async () => {
    const [stats] = await q<{ multi: number; total: number; counted: number }>(
      sql`select count(*) filter (where message_count > 1)::int as multi, count(*)::int as total, sum(message_count)::int as counted
        from threads where org_id = ${account.orgId}`,
    );
    expect(stats!.multi).toBeGreaterThan(450);
    expect(stats!.multi).toBeLessThan(650);
    const [messages] = await q<{ n: number }>(sql`select count(*)::int as n from messages where org_id = ${account.orgId} and thread_id is not null`);
    expect(stats!.counted).toBe(messages!.n);

    // Five messages on two days, from several people, some without Re: and none with References.
    const andersen = await q<{ thread_id: string; message_count: number }>(
      sql`select m.thread_id, t.message_count from messages m join threads t on t.id = m.thread_id
        where m.org_id = ${account.orgId} and m.subject ilike '%Confidential Folder to safely pass information to Arthur Andersen%'`,
    );
    expect(andersen).toHaveLength(5);
    expect(new Set(andersen.map((r) => r.thread_id)).size).toBe(1);
    expect(andersen[0]!.message_count).toBe(5);
  });

  test("search finds messages by body, subject and participant", async () => {
    const body = await searchMessages(database.db, { orgId: account.orgId, query: "Arthur Andersen confidential folder" });
    expect(body.total).toBeGreaterThanOrEqual(5);
    expect(body.results[0]!.subject).toMatch(/Arthur Andersen/);
    expect(body.results[0]!.highlight.some((s) => s.match)).toBe(true);
    const person = await searchMessages(database.db, { orgId: account.orgId, query: "hlopak" });
    expect(person.results.some((r) => r.fromAddress === "ed_hlopak@enron.net")).toBe(true);
  });
});
