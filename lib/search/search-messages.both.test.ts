import { beforeAll, describe, expect, test } from "vitest";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import type { IngestAccount } from "@/lib/ingest/types";
import { createAccount, incoming, mail } from "@/tests/ingest/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";
import { searchMessages } from "./search-messages";

const database = fileTestDatabase();
let account: IngestAccount;
let other: IngestAccount;

beforeAll(async () => {
  account = await createAccount(database.db);
  other = await createAccount(database.db);
  const items = await Promise.all([
    incoming(mail({ from: "Alice Walker <alice@acme.example>", to: "me@example.com", subject: "Pipeline capacity report", date: "Mon, 14 May 2001 10:00:00 +0000", messageId: "s1@x", body: "Numbers for the quarter." })),
    incoming(mail({ from: "bob@acme.example", to: "me@example.com", subject: "Lunch", date: "Tue, 15 May 2001 10:00:00 +0000", messageId: "s2@x", body: "We talked about the pipeline capacity over lunch." })),
    incoming(mail({ from: "carol@other.example", to: "me@example.com", subject: "Lunch", date: "Wed, 16 May 2001 10:00:00 +0000", messageId: "s3@x", body: "Tacos again? <script>alert(1)</script>" })),
    incoming(mail({ from: "dan@other.example", to: "me@example.com", subject: "Lunch", date: "Thu, 17 May 2001 10:00:00 +0000", messageId: "s4@x", body: "Tacos again?" })),
  ]);
  await database.db.transaction((tx) => ingestMessages(tx, account, items));
  await database.db.transaction(async (tx) =>
    ingestMessages(tx, other, [await incoming(mail({ from: "eve@acme.example", subject: "Pipeline capacity secrets", messageId: "o1@x" }))]),
  );
});
const subjects = async (query: string, extra: { limit?: number; offset?: number } = {}) =>
  (await searchMessages(database.db, { orgId: account.orgId, query, ...extra })).results.map((r) => r.subject);

describe("searchMessages", () => {
  test("subject matches rank above body matches; stemming applies", async () => {
    expect(await subjects("pipeline capacities")).toEqual(["Pipeline capacity report", "Lunch"]);
  });

  test("a walk limited to fewer messages than hold the matches is answered from the index", async () => {
    const search = (path: "walk" | "index", walkLimit?: number) => searchMessages(database.db, { orgId: account.orgId, query: "lunch", sort: "newest", path, walkLimit });
    const indexed = await search("index");
    expect(indexed.results.map((r) => r.subject)).toEqual(["Lunch", "Lunch", "Lunch"]);
    expect(await search("walk", 1)).toEqual(indexed);
    expect(await search("walk", 10)).toEqual(indexed);
  });

  test("only the organisation's own messages", async () => {
    const result = await searchMessages(database.db, { orgId: account.orgId, query: "secrets" });
    expect(result).toMatchObject({ total: 0, results: [] });
    expect((await searchMessages(database.db, { orgId: other.orgId, query: "pipeline" })).total).toBe(1);
  });

  test("participants by name, address, local part and domain", async () => {
    expect(await subjects("walker")).toEqual(["Pipeline capacity report"]);
    expect(await subjects("alice@acme.example")).toEqual(["Pipeline capacity report"]);
    expect(await subjects("other.example")).toEqual(["Lunch", "Lunch"]);
  });

  test("newest first on equal rank, total, limit and offset", async () => {
    const all = await searchMessages(database.db, { orgId: account.orgId, query: "tacos" });
    expect(all.total).toBe(2);
    expect(all.results.map((r) => r.fromAddress)).toEqual(["dan@other.example", "carol@other.example"]);
    const second = await searchMessages(database.db, { orgId: account.orgId, query: "tacos", limit: 1, offset: 1 });
    expect(second.results.map((r) => r.fromAddress)).toEqual(["carol@other.example"]);
    expect(second.total).toBe(2);
  });

  test("only the newest matches are read: the total stops at the window and says so", async () => {
    const exact = await searchMessages(database.db, { orgId: account.orgId, query: "lunch", sort: "newest" });
    expect(exact).toMatchObject({ total: 3, totalCapped: false });
    const capped = await searchMessages(database.db, { orgId: account.orgId, query: "lunch", sort: "newest", matchWindow: 2, limit: 1 });
    expect(capped).toMatchObject({ total: 2, totalCapped: true });
    // Page 1 is the same rows in the same order as without the window.
    expect(capped.results.map((r) => r.id)).toEqual(exact.results.slice(0, 1).map((r) => r.id));
    const fits = await searchMessages(database.db, { orgId: account.orgId, query: "lunch", sort: "newest", matchWindow: 3 });
    expect(fits).toMatchObject({ total: 3, totalCapped: false });
    // A page past the window widens it to reach its rows.
    const deep = await searchMessages(database.db, { orgId: account.orgId, query: "lunch", sort: "newest", matchWindow: 1, limit: 1, offset: 2 });
    expect(deep.results.map((r) => r.id)).toEqual([exact.results[2]!.id]);
    expect(deep).toMatchObject({ total: 3, totalCapped: false });
  });

  test("websearch syntax: phrases, exclusions, OR", async () => {
    expect(await subjects('"capacity report"')).toEqual(["Pipeline capacity report"]);
    expect(await subjects("pipeline -lunch")).toEqual(["Pipeline capacity report"]);
    expect((await subjects("numbers or tacos")).length).toBe(3);
  });

  test("highlights are plain-text segments with the matches marked", async () => {
    const [hit] = (await searchMessages(database.db, { orgId: account.orgId, query: "tacos", limit: 1, offset: 1 })).results;
    expect(hit!.highlight.filter((s) => s.match).map((s) => s.text.toLowerCase())).toContain("tacos");
    const joined = hit!.highlight.map((s) => s.text).join("");
    expect(joined).toContain("Tacos again");
    expect(joined).not.toMatch(/[\u0002\u0003]/);
  });

  test("the excerpt is taken around the first match, however deep in a long body", async () => {
    const deep = await createAccount(database.db);
    const filler = (chars: number) => "quiet filler words here. ".repeat(Math.ceil(chars / 25)).slice(0, chars);
    await database.db.transaction(async (tx) =>
      ingestMessages(tx, deep, [
        await incoming(mail({ subject: "Deep", messageId: "d1@x", body: `${filler(9000)} the zebrafish escaped. ${filler(3000)}` })),
        // "studies" is stemmed to "studi", which the body only has as "study" (a stem whose y became i).
        await incoming(mail({ subject: "Stem", messageId: "d2@x", body: `${filler(3000)} one study more. ${filler(3000)}` })),
        // Matched in the subject alone: the excerpt is the body's start.
        await incoming(mail({ subject: "Walrus news", messageId: "d3@x", body: `Nothing about it here. ${filler(3000)}` })),
      ]),
    );
    const marked = async (query: string) => (await searchMessages(database.db, { orgId: deep.orgId, query })).results[0]!.highlight.filter((s) => s.match).map((s) => s.text.toLowerCase());
    expect(await marked("zebrafish")).toEqual(["zebrafish"]);
    expect(await marked("studies")).toEqual(["study"]);
    const [walrus] = (await searchMessages(database.db, { orgId: deep.orgId, query: "walrus" })).results;
    expect(walrus!.subjectHighlight.filter((s) => s.match).map((s) => s.text)).toEqual(["Walrus"]);
    expect(walrus!.highlight.map((s) => s.text).join("")).toMatch(/^Nothing about it here\./);
  });

  test("empty or stop-word-only queries return nothing instead of failing", async () => {
    expect(await searchMessages(database.db, { orgId: account.orgId, query: "   " })).toMatchObject({ total: 0, results: [] });
    expect((await searchMessages(database.db, { orgId: account.orgId, query: "the" })).total).toBe(0);
    expect((await searchMessages(database.db, { orgId: account.orgId, query: '& | ! ( " <>' })).total).toBe(0);
  });

  test("a query that does not parse is refused with the parser's message", async () => {
    await expect(searchMessages(database.db, { orgId: account.orgId, query: "a:b tacos" })).rejects.toMatchObject({ code: "invalid", message: expect.stringContaining("Unknown operator “a:”") });
  });
});
