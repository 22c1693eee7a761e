import { beforeAll, describe, expect, test } from "vitest";
import { searchMessages, type SearchMessagesInput } from "@/lib/search/search-messages";
import { fileTestDatabase } from "@/tests/support/test-database";
import { type SeededAccount, seedAccount, seedMail, seedOrg, seedUser } from "./support";

/*
 * Every operator against real messages (ingested through lib/ingest, filed in folders with flags),
 * on Postgres and PGlite. Results are compared as sets of seed keys.
 */

const database = fileTestDatabase();
let orgId: string;
let olivia: { id: string };
let inbox: SeededAccount;
let sales: SeededAccount;
let other: SeededAccount;
const keyOf = new Map<string, string>();

beforeAll(async () => {
  const db = database.db;
  olivia = await seedUser(db, `olivia-${Date.now()}@acme.test`);
  const org = await seedOrg(db, "Acme", [{ userId: olivia.id, role: "owner" }]);
  orgId = org.id;
  inbox = await seedAccount(db, org.id, "olivia@acme.test", { userId: olivia.id });
  sales = await seedAccount(db, org.id, "sales@acme.test");
  const ids = await seedMail(db, inbox, [
    {
      key: "report",
      from: "Alice Walker <alice@acme.example>",
      to: ["olivia@acme.test"],
      cc: ["Carol Jones <carol@partner.example>"],
      subject: "Pipeline capacity report",
      body: "Numbers for the quarter, and tacos.",
      date: "2024-01-10T09:00:00Z",
      attachments: ["Q1 report.pdf"],
      folders: { INBOX: [] },
    },
    { key: "lunch", from: "bob@acme.example", to: ["olivia@acme.test"], subject: "Lunch plans", body: "We talked about the pipeline over lunch.", date: "2024-02-15T12:00:00Z", folders: { INBOX: ["\\Seen", "\\Flagged"] } },
    { key: "reply", from: "olivia@acme.test", to: ["bob@acme.example"], subject: "Re: Lunch plans", body: "Tacos again?", date: "2024-02-16T08:00:00Z", inReplyTo: "lunch", folders: { Sent: ["\\Seen"] } },
    { key: "invoice", from: "billing@vendor.example", to: ["olivia@acme.test"], subject: "Invoice 42 of March", body: "Amount due.", date: "2024-03-01T00:00:00Z", attachments: ["invoice-42.xlsx"], folders: { Trash: ["\\Seen"] } },
    { key: "numbers", from: "dan@other.example", to: ["olivia@acme.test"], cc: ["alice@acme.example"], subject: "Quarterly numbers", body: "The zebra phrase lives here.", date: "2024-03-20T10:00:00Z", folders: { "Projects/Big deal": [] } },
  ]);
  // Labels come only from Gmail's servers, so only a Gmail account's mail has them.
  const gmail = await seedAccount(db, org.id, "olivia@gmail.test", { userId: olivia.id, provider: "gmail" });
  const gmailIds = await seedMail(db, gmail, [
    { key: "gmail", from: "gina@label.example", to: ["olivia@acme.test"], subject: "Labelled", body: "Filed by label.", date: "2024-04-01T10:00:00Z", folders: { "[Gmail]/All Mail": ["\\Seen"] }, labels: ["\\Inbox", "Work"] },
  ]);
  const salesIds = await seedMail(db, sales, [{ key: "sales", from: "zed@client.example", to: ["sales@acme.test"], subject: "Sales pipeline", body: "Leads.", date: "2024-05-01T10:00:00Z" }]);
  const otherOrg = await seedOrg(db, "Elsewhere");
  other = await seedAccount(db, otherOrg.id, "eve@elsewhere.test");
  const otherIds = await seedMail(db, other, [{ key: "secret", from: "alice@acme.example", subject: "Pipeline capacity secrets", body: "tacos zebra", date: "2024-01-11T10:00:00Z", attachments: ["secret.pdf"] }]);
  for (const [key, id] of Object.entries({ ...ids, ...gmailIds, ...salesIds, ...otherIds })) keyOf.set(id, key);
});
async function run(query: string, extra: Partial<SearchMessagesInput> = {}) {
  return searchMessages(database.db, { orgId, viewer: { userId: olivia.id }, query, limit: 50, ...extra });
}

async function keys(query: string, extra: Partial<SearchMessagesInput> = {}): Promise<string[]> {
  return (await run(query, extra)).results.map((r) => keyOf.get(r.id)!).sort();
}

describe("operators", () => {
  test("from: full address, part of an address, a name, a domain, me", async () => {
    expect(await keys("from:alice@acme.example")).toEqual(["report"]);
    expect(await keys("from:alice")).toEqual(["report"]);
    expect(await keys("from:walker")).toEqual(["report"]);
    expect(await keys("from:acme.example")).toEqual(["lunch", "report"]);
    expect(await keys("from:me")).toEqual(["reply"]);
    // A full address is exact: no match on a longer one.
    expect(await keys("from:lice@acme.example")).toEqual([]);
  });

  test("to: any recipient (To and Cc); cc: only Cc", async () => {
    expect(await keys("to:bob")).toEqual(["reply"]);
    expect(await keys("to:carol")).toEqual(["report"]);
    expect(await keys("to:alice@acme.example")).toEqual(["numbers"]);
    expect(await keys("cc:carol@partner.example")).toEqual(["report"]);
    expect(await keys("cc:olivia")).toEqual([]);
  });

  test("subject: words (stemmed), phrases in order, stop words as a substring", async () => {
    expect(await keys("subject:lunch")).toEqual(["lunch", "reply"]);
    expect(await keys("subject:capacities")).toEqual(["report"]);
    expect(await keys('subject:"lunch plans"')).toEqual(["lunch", "reply"]);
    expect(await keys('subject:"plans lunch"')).toEqual([]);
    expect(await keys("subject:(quarterly numbers)")).toEqual(["numbers"]);
    expect(await keys("subject:of")).toEqual(["invoice"]);
    // The body's "pipeline" does not count for subject:.
    expect(await keys("subject:pipeline")).toEqual(["report", "sales"]);
  });

  test("has:attachment and filename:", async () => {
    expect(await keys("has:attachment")).toEqual(["invoice", "report"]);
    expect(await keys("filename:pdf")).toEqual(["report"]);
    expect(await keys('filename:"q1 report"')).toEqual(["report"]);
    expect(await keys("filename:xlsx")).toEqual(["invoice"]);
  });

  test("in: special-use names, paths, folder names and Gmail labels", async () => {
    expect(await keys("in:inbox")).toEqual(["gmail", "lunch", "report", "sales"]);
    expect(await keys("in:sent")).toEqual(["reply"]);
    expect(await keys("in:trash")).toEqual(["invoice"]);
    expect(await keys('in:"Projects/Big deal"')).toEqual(["numbers"]);
    expect(await keys('in:"big deal"')).toEqual(["numbers"]);
    expect(await keys("label:work")).toEqual(["gmail"]);
    expect(await keys("in:nowhere")).toEqual([]);
  });

  test("account: one linked mailbox", async () => {
    expect(await keys("account:sales@acme.test")).toEqual(["sales"]);
    expect(await keys("account:sales")).toEqual(["sales"]);
    expect((await keys("account:olivia@acme.test")).length).toBe(5);
    expect(await keys("account:olivia@gmail.test")).toEqual(["gmail"]);
  });

  test("before: is exclusive, after: inclusive, both formats (UTC days)", async () => {
    expect(await keys("before:2024-02-16")).toEqual(["lunch", "report"]);
    expect(await keys("after:2024/02/16 before:2024-03-02")).toEqual(["invoice", "reply"]);
    expect(await keys("after:2024-04-01")).toEqual(["gmail", "sales"]);
  });

  test("is:unread (seen nowhere), is:read, is:starred", async () => {
    expect(await keys("is:unread")).toEqual(["numbers", "report", "sales"]);
    expect(await keys("is:read")).toEqual(["gmail", "invoice", "lunch", "reply"]);
    expect(await keys("is:starred")).toEqual(["lunch"]);
  });

  test("free text over subject, participants and body; quoted phrases", async () => {
    expect(await keys("tacos")).toEqual(["reply", "report"]);
    expect(await keys("zebra")).toEqual(["numbers"]);
    expect(await keys("carol")).toEqual(["report"]);
    expect(await keys('"capacity report"')).toEqual(["report"]);
    expect(await keys('"report capacity"')).toEqual([]);
  });

  test("negation of words and operators", async () => {
    expect(await keys("pipeline -lunch")).toEqual(["report", "sales"]);
    expect(await keys("is:read -from:bob -from:me")).toEqual(["gmail", "invoice"]);
    expect(await keys("-has:attachment -in:inbox")).toEqual(["numbers", "reply"]);
  });

  test("OR between terms and operators", async () => {
    expect(await keys("from:alice OR from:bob")).toEqual(["lunch", "report"]);
    expect(await keys("zebra OR in:trash")).toEqual(["invoice", "numbers"]);
    expect(await keys("tacos has:attachment")).toEqual(["report"]);
  });

  test("stop words are dropped with a warning; a stop-word-only search finds nothing", async () => {
    const result = await run("the tacos");
    expect(result.results.map((r) => keyOf.get(r.id)).sort()).toEqual(["reply", "report"]);
    expect(result.warnings).toEqual(["“the” is too common to search for and was ignored."]);
    expect((await run("the")).total).toBe(0);
  });
});

describe("ranking, sorting, grouping, paging, highlighting", () => {
  test("relevance puts subject matches first; newest sorts by date; operator-only searches are newest first", async () => {
    const relevant = await run("pipeline");
    expect(relevant.sort).toBe("relevance");
    expect(relevant.results.map((r) => keyOf.get(r.id))).toEqual(["sales", "report", "lunch"]);
    const newest = await run("pipeline", { sort: "newest" });
    expect(newest.results.map((r) => keyOf.get(r.id))).toEqual(["sales", "lunch", "report"]);
    const operatorOnly = await run("in:inbox");
    expect(operatorOnly.sort).toBe("newest");
    expect(operatorOnly.results.map((r) => keyOf.get(r.id))).toEqual(["sales", "gmail", "lunch", "report"]);
  });

  test("threads grouping: one row per conversation with its number of matches", async () => {
    const messages = await run("lunch");
    expect(messages.total).toBe(2);
    const threads = await run("lunch", { group: "threads" });
    expect(threads.total).toBe(1);
    expect(threads.results[0]!.matches).toBe(2);
    expect(threads.results[0]!.threadId).toBe(messages.results[0]!.threadId);
  });

  test("limit and offset page through a stable order; total counts every match", async () => {
    const all = (await run("in:inbox", { limit: 10 })).results.map((r) => r.id);
    const first = await run("in:inbox", { limit: 3 });
    const second = await run("in:inbox", { limit: 3, offset: 3 });
    expect(first.total).toBe(4);
    expect(second.total).toBe(4);
    expect([...first.results, ...second.results].map((r) => r.id)).toEqual(all);
  });

  test("highlights: matches marked in subject and body, as text segments, markup left as text", async () => {
    const [hit] = (await run("tacos from:alice")).results;
    expect(hit!.highlight.filter((s) => s.match).map((s) => s.text.toLowerCase())).toEqual(["tacos"]);
    expect(hit!.subjectHighlight.map((s) => s.text).join("")).toBe("Pipeline capacity report");
    const [subject] = (await run("subject:capacity")).results;
    expect(subject!.subjectHighlight).toEqual([
      { text: "Pipeline ", match: false },
      { text: "capacity", match: true },
      { text: " report", match: false },
    ]);
    const [plain] = (await run("from:bob")).results;
    expect(plain!.highlight).toEqual([{ text: "We talked about the pipeline over lunch.", match: false }]);
  });
});

describe("isolation", () => {
  test("another organisation's messages are never found, whatever the operators", async () => {
    for (const query of ["secrets", "zebra", "from:alice", "filename:secret", "has:attachment", "account:eve@elsewhere.test", "pipeline OR tacos"]) {
      const found = await keys(query);
      expect(found, query).not.toContain("secret");
    }
    const theirs = await searchMessages(database.db, { orgId: other.orgId, query: "pipeline" });
    expect(theirs.results.map((r) => keyOf.get(r.id))).toEqual(["secret"]);
  });
});
