import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { buildSearchSql } from "@/lib/search/build-search-sql";
import { chooseSearchPlan, keepToSearchPath, planSearch, weighSearchPaths } from "@/lib/search/choose-search-path";
import { parseSearchQuery } from "@/lib/search/parse-search-query";
import { type SearchMessagesInput, searchMessages } from "@/lib/search/search-messages";
import { fileTestDatabase } from "@/tests/support/test-database";
import { type MailSeed, type SeededAccount, seedAccount, seedMail, seedOrg } from "./support";

/*
 * How matches are found: walking the newest messages or the GIN index (lib/search/choose-search-path.ts).
 * The choice follows the density measured on the newest messages, not Postgres' table-wide guess
 * (a phrase of two common words is rare), and both paths give the same answers, grouped or not,
 * by date or by relevance, capped or not.
 */

const database = fileTestDatabase();
let account: SeededAccount;
const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 3_600_000).toISOString();

beforeAll(async () => {
  const org = await seedOrg(database.db, "Search paths");
  account = await seedAccount(database.db, org.id, "me@paths.test");
  const seeds: MailSeed[] = [];
  for (let i = 0; i < 420; i++) {
    // Every second message says "pipeline"; "alpha" and "beta" are everywhere but side by side only twice;
    // "zircon" is in three old messages. Threads of three messages each ("Re:" chains).
    const words = [i % 2 === 0 ? "pipeline" : "meter", i % 3 === 0 ? "alpha report and beta" : "beta report and alpha"];
    if (i === 40 || i === 300) words.push("alpha beta together");
    if (i === 5 || i === 6 || i === 7) words.push("zircon");
    const root = i - (i % 3);
    seeds.push({
      key: `p${i}`,
      from: `person${i % 17}@far.test`,
      to: ["me@paths.test"],
      subject: i % 3 === 0 ? `Topic ${root}` : `Re: Topic ${root}`,
      body: `Notes ${i}: ${words.join(". ")}.`,
      date: day(i),
      inReplyTo: i % 3 === 0 ? undefined : `p${i - 1}`,
    });
  }
  await seedMail(database.db, account, seeds);
});
const path = (query: string) =>
  database.db.transaction(async (tx) => {
    const parsed = parseSearchQuery(query);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const built = buildSearchSql(parsed.query, { orgId: account.orgId, viewer: { operator: true }, levels: { level: sql`'shared'`, everythingShared: true } });
    return (await chooseSearchPlan(tx, { orgId: account.orgId, where: built.where, indexedCondition: built.indexedCondition!, dateBounds: built.dateBounds, wanted: 501 })).path;
  });

describe("choosing", () => {
  test("dense words in a large organisation are walked; rare words and rare phrases come from the index", () => {
    const weigh = (hits: number, wanted: number, orgMessages: number, indexHits = hits) => weighSearchPaths({ sampled: 300, hits, indexHits, wanted, orgMessages });
    // 193k messages (the largest benchmark organisation): a common word (43%), page 1 and a deep page.
    expect(weigh(130, 501, 193_000)).toBe("walk");
    expect(weigh(130, 2001, 193_000)).toBe("walk");
    // A word in 1 message of 100, a phrase seen twice, a word not in the sample at all.
    expect(weigh(3, 501, 193_000)).toBe("index");
    expect(weigh(2, 501, 193_000)).toBe("index");
    expect(weigh(0, 26, 193_000)).toBe("index");
    // In 5,000 messages even a common word is cheaper from the index than walked for 500 matches.
    expect(weigh(130, 501, 5_000)).toBe("index");
    // from:<a busy sender> with a common word: the index would return every message with the word.
    expect(weigh(8, 201, 193_000, 156)).toBe("walk");
    expect(weigh(8, 201, 193_000)).toBe("index");
  });

  test("sparse matches in a large organisation read fewer of the newest matches, never fewer than the page needs", () => {
    const plan = (hits: number, indexHits: number, fewest: number, wanted = 201) => planSearch({ sampled: 300, hits, indexHits, wanted, fewest, orgMessages: 193_000 });
    // A phrase of two common words (2 in 300 have it, 112 have both words): 201 matches would be
    // 29,000 rows walked or 72,000 read from the index; 26 are 3,900 rows walked.
    expect(plan(2, 112, 26)).toEqual({ path: "walk", wanted: 26 });
    // A later page needs more than the budget finds: then the cheaper path, for all of them.
    expect(plan(2, 112, 501, 501)).toEqual({ path: "index", wanted: 501 });
    // A mid word (1 in 19): 200 matches are 3,800 rows walked; the newest 125 are 2,300.
    expect(plan(16, 16, 26)).toEqual({ path: "walk", wanted: 126 });
    // The same words as a phrase in 19,000 messages: every message with both words would be re-read
    // for positions, so the newest 50 are walked; as plain words the index answers them all.
    const inSmaller = (indexRechecks: boolean) => planSearch({ sampled: 300, hits: 4, indexHits: 112, wanted: 201, fewest: 51, orgMessages: 19_000, indexRechecks });
    expect(inSmaller(true)).toEqual({ path: "walk", wanted: 51 });
    expect(inSmaller(false)).toEqual({ path: "index", wanted: 201 });
    // Within the budget nothing changes: a common word walked, a rare one from the index.
    expect(plan(130, 130, 26)).toEqual({ path: "walk", wanted: 201 });
    expect(plan(1, 1, 26)).toEqual({ path: "index", wanted: 201 });
  });

  test("where the index would read scattered matches, a walk limited to twice the rows the sample predicts is tried first", () => {
    const plan = (hits: number, orgMessages: number) => planSearch({ sampled: 300, hits, indexHits: hits, wanted: 201, fewest: 51, orgMessages });
    // Two common words in 1 message of 15 (65,000 messages): 4,300 matches from the index, or about
    // 3,000 rows walked; the walk gives up after 6,030.
    expect(plan(20, 65_000)).toEqual({ path: "walk", wanted: 201, walkLimit: 6030 });
    // Three matches in the sample say too little to plan a walk on.
    expect(plan(3, 65_000)).toEqual({ path: "index", wanted: 201 });
    // A limit past the whole organisation stops nothing: the index, as before.
    expect(plan(20, 5_000)).toEqual({ path: "index", wanted: 201 });
  });

  test("a word and operators too rare together to count in the sample are planned from their shares apart", () => {
    // in:sent (79 of 300) and a mid word (14 of 300) in 191,000 messages: together only 2 of the 300.
    // Independently 3.7 in 300 would be: a walk of 16,000 rows, limited to 32,700, against 8,900
    // scattered matches from the index.
    const plan = (filtered: number | undefined) => planSearch({ sampled: 300, hits: 2, indexHits: 14, filtered, wanted: 201, fewest: 51, orgMessages: 191_000 });
    expect(plan(79)).toEqual({ path: "walk", wanted: 201, walkLimit: 32_713 });
    // Without the operators' share, two in 300 say too little: the index.
    expect(plan(undefined)).toEqual({ path: "index", wanted: 201 });
    // Operators that almost nothing meets: the index.
    expect(plan(3)).toEqual({ path: "index", wanted: 201 });
  });

  test("either path's settings turn JIT off for the search's transaction", async () => {
    for (const chosen of ["walk", "index"] as const) {
      const jit = await database.db.transaction(async (tx) => {
        await keepToSearchPath(tx, chosen);
        const [row] = await queryRows<{ jit: string }>(tx, sql`select current_setting('jit') as jit`);
        return row!.jit;
      });
      expect(jit).toBe("off");
    }
  });

  test("measured on the organisation's newest messages", async () => {
    await database.db.execute(sql`analyze messages`);
    expect(await path("zircon")).toBe("index");
    expect(await path('"alpha beta"')).toBe("index");
    expect(await path("nothingmatches")).toBe("index");
  });
});

describe("both paths answer the same", () => {
  const cases: Omit<SearchMessagesInput, "orgId">[] = [
    { query: "pipeline", sort: "newest", group: "messages" },
    { query: "pipeline", sort: "relevance", group: "threads" },
    { query: "pipeline", sort: "newest", group: "threads", matchWindow: 20, limit: 5, offset: 10 },
    { query: "zircon", sort: "relevance", group: "messages" },
    { query: '"alpha beta"', sort: "newest", group: "threads" },
    { query: "alpha -pipeline", sort: "newest", group: "messages", matchWindow: 50, limit: 10, offset: 20 },
    { query: "pipeline after:2025-01-03 before:2025-01-10", sort: "newest", group: "messages", limit: 100 },
    { query: "meter -before:2025-01-15", sort: "relevance", group: "threads" },
  ];
  for (const input of cases) {
    test(JSON.stringify(input), async () => {
      const walked = await searchMessages(database.db, { orgId: account.orgId, ...input, path: "walk" });
      const indexed = await searchMessages(database.db, { orgId: account.orgId, ...input, path: "index" });
      const chosen = await searchMessages(database.db, { orgId: account.orgId, ...input });
      // A limited walk that ends before its matches (then answered from the index), and one that does not.
      const stopped = await searchMessages(database.db, { orgId: account.orgId, ...input, path: "walk", walkLimit: 3 });
      const unstopped = await searchMessages(database.db, { orgId: account.orgId, ...input, path: "walk", walkLimit: 400 });
      expect(walked.results.length).toBeGreaterThan(0);
      expect(indexed).toEqual(walked);
      expect(chosen).toEqual(walked);
      expect(stopped).toEqual(walked);
      expect(unstopped).toEqual(walked);
    });
  }
});

test("a later page of conversations reaches its rows", async () => {
  // All 140 conversations say "pipeline" (in 1 or 2 of their 3 messages); a window of 20 messages holds ~13.
  const page = (offset: number) => searchMessages(database.db, { orgId: account.orgId, query: "pipeline", sort: "newest", group: "threads", matchWindow: 20, limit: 5, offset });
  const first = await page(0);
  const deep = await page(40);
  expect(first.results).toHaveLength(5);
  expect(deep.results).toHaveLength(5);
  expect(deep.totalCapped).toBe(true);
  // Conversations newest first: page 9 starts 40 conversations (120 messages, 6 days) after the newest.
  const newest = new Date(first.results[0]!.sentAt!).getTime();
  const ninth = new Date(deep.results[0]!.sentAt!).getTime();
  expect((newest - ninth) / 3_600_000).toBeGreaterThanOrEqual(119);
  expect(new Set([...first.results, ...deep.results].map((r) => r.threadId)).size).toBe(10);
});

test("a later page of conversations with more messages each than guessed still fills", async () => {
  // "beta" is in all three messages of every conversation: the first window (twice the page's end)
  // holds two thirds of the conversations needed, so it is widened from what it held.
  const page = (offset: number) => searchMessages(database.db, { orgId: account.orgId, query: "beta", sort: "newest", group: "threads", matchWindow: 20, limit: 5, offset });
  const [first, deep] = [await page(0), await page(60)];
  expect(deep.results).toHaveLength(5);
  expect(deep.results.every((r) => r.matches === 3)).toBe(true);
  // Conversations newest first: the 61st starts 60 conversations (180 hours) after the newest.
  const newest = new Date(first.results[0]!.sentAt!).getTime();
  expect((newest - new Date(deep.results[0]!.sentAt!).getTime()) / 3_600_000).toBe(180);
});
