import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import type { IncomingMessage } from "@/lib/ingest/types";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { corpusDir, corpusFiles, skipMessage } from "./corpus";
import { createAccount, incoming } from "./fixtures";

const dir = corpusDir("mime");
if (!dir) console.warn(skipMessage("mime"));

describe.skipIf(!dir)("hostile MIME corpus", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  test("every file is parsed and stored, none is lost, failures keep their raw source", { timeout: 240_000 }, async () => {
    const files = corpusFiles(dir!);
    expect(files.length).toBeGreaterThan(100);
    const items: IncomingMessage[] = [];
    for (const file of files) items.push(await incoming(file.source));
    const account = await createAccount(database.db);
    const ids = new Map<string, string>();
    for (let i = 0; i < items.length; i += 40) {
      const batch = items.slice(i, i + 40);
      for (const [key, id] of await database.db.transaction((tx) => ingestMessages(tx, account, batch))) ids.set(key, id);
    }
    const distinct = new Set(items.map((i) => i.dedupeKey));
    for (const item of items) expect(ids.get(item.dedupeKey)).toBeTruthy();

    const [counts] = await queryRows<{ messages: number; failed: number; raw: number; failed_without_raw: number }>(
      database.db,
      sql`select
        (select count(*)::int from messages where org_id = ${account.orgId}) as messages,
        (select count(*)::int from messages where org_id = ${account.orgId} and parse_error is not null) as failed,
        (select count(*)::int from message_raw where org_id = ${account.orgId}) as raw,
        (select count(*)::int from messages m where m.org_id = ${account.orgId} and m.parse_error is not null
          and not exists (select 1 from message_raw r where r.message_id = m.id)) as failed_without_raw`,
    );
    expect(counts!.messages).toBe(distinct.size);
    // No two files of this corpus are byte-identical, so every file is its own row.
    expect(counts!.messages).toBe(files.length);
    expect(counts!.failed).toBe(new Set(items.filter((i) => i.parsed.parseError).map((i) => i.dedupeKey)).size);
    expect(counts!.failed).toBeGreaterThan(0);
    expect(counts!.failed_without_raw).toBe(0);
    expect(counts!.raw).toBe(counts!.failed);
  });
});
