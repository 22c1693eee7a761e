import { describe, expect, test } from "vitest";
import { formatSearchNode, hasRankableText, parseDay, parseSearchQuery, type SearchNode } from "./parse-search-query";

function clauses(input: string): SearchNode[][] {
  const result = parseSearchQuery(input);
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.error.message}`);
  return result.query.clauses;
}

function terms(input: string): SearchNode[] {
  return clauses(input).map((clause) => {
    expect(clause).toHaveLength(1);
    return clause[0]!;
  });
}

function error(input: string): string {
  const result = parseSearchQuery(input);
  if (result.ok) throw new Error(`expected ${input} to fail, got ${JSON.stringify(result.query)}`);
  return result.error.message;
}

describe("parseSearchQuery", () => {
  test("free text: words and quoted phrases, in order", () => {
    expect(terms('pipeline "capacity report" q3')).toEqual([
      { type: "text", text: "pipeline", phrase: false, negated: false },
      { type: "text", text: "capacity report", phrase: true, negated: false },
      { type: "text", text: "q3", phrase: false, negated: false },
    ]);
  });

  test("every operator", () => {
    expect(
      terms('from:Alice@Acme.com to:bob cc:carol subject:lunch has:attachment filename:PDF in:Sent label:Work account:Me@Work.com after:2024-01-31 before:2024/3/1 is:unread is:read is:starred'),
    ).toEqual([
      { type: "participant", field: "from", value: "alice@acme.com", negated: false },
      { type: "participant", field: "to", value: "bob", negated: false },
      { type: "participant", field: "cc", value: "carol", negated: false },
      { type: "subject", value: "lunch", phrase: false, negated: false },
      { type: "has", value: "attachment", negated: false },
      { type: "filename", value: "pdf", negated: false },
      { type: "in", value: "Sent", negated: false },
      { type: "in", value: "Work", negated: false },
      { type: "account", value: "me@work.com", negated: false },
      { type: "after", date: "2024-01-31", negated: false },
      { type: "before", date: "2024-03-01", negated: false },
      { type: "is", value: "unread", negated: false },
      { type: "is", value: "read", negated: false },
      { type: "is", value: "starred", negated: false },
    ]);
  });

  test("operator names are case-insensitive; quoted and grouped values keep their spaces", () => {
    expect(terms('FROM:"Alice Walker" Subject:"q3 report" subject:(budget review) in:"Projects/Big deal"')).toEqual([
      { type: "participant", field: "from", value: "alice walker", negated: false },
      { type: "subject", value: "q3 report", phrase: true, negated: false },
      { type: "subject", value: "budget review", phrase: false, negated: false },
      { type: "in", value: "Projects/Big deal", negated: false },
    ]);
  });

  test("negation of words, phrases and operators; a lone or doubled dash is not negation", () => {
    expect(terms('-lunch -"tacos again" -from:bob -has:attachment')).toEqual([
      { type: "text", text: "lunch", phrase: false, negated: true },
      { type: "text", text: "tacos again", phrase: true, negated: true },
      { type: "participant", field: "from", value: "bob", negated: true },
      { type: "has", value: "attachment", negated: true },
    ]);
    expect(terms("a - b")).toEqual([
      { type: "text", text: "a", phrase: false, negated: false },
      { type: "text", text: "-", phrase: false, negated: false },
      { type: "text", text: "b", phrase: false, negated: false },
    ]);
    expect(terms("e-mail")[0]).toMatchObject({ type: "text", text: "e-mail", negated: false });
  });

  test("OR joins its neighbours into one clause, in any case; dangling ORs are dropped with a warning", () => {
    const parsed = clauses("from:alice OR from:bob or tacos pipeline");
    expect(parsed).toHaveLength(2);
    expect(parsed[0]!.map(formatSearchNode)).toEqual(["from:alice", "from:bob", "tacos"]);
    expect(parsed[1]!.map(formatSearchNode)).toEqual(["pipeline"]);
    const dangling = parseSearchQuery("OR tacos OR");
    expect(dangling.ok && dangling.query.clauses.map((c) => c.map(formatSearchNode))).toEqual([["tacos"]]);
    expect(dangling.ok && dangling.warnings).toHaveLength(2);
    // "-or" and a quoted "or" are words, not the operator.
    expect(clauses('a -or "or"')).toHaveLength(3);
  });

  test("unknown operators are named, with the list of valid ones", () => {
    const message = error("tacos colour:red");
    expect(message).toContain("Unknown operator “colour:”");
    for (const op of ["from:", "to:", "cc:", "subject:", "has:", "filename:", "in:", "account:", "before:", "after:", "is:"]) expect(message).toContain(op);
    expect(parseSearchQuery("x colour:red").ok).toBe(false);
    if (!parseSearchQuery("tacos colour:red").ok) expect((parseSearchQuery("tacos colour:red") as { error: { at: number } }).error.at).toBe(6);
  });

  test("links, times and reply markers are text, not operators", () => {
    expect(terms("https://acme.com/x 10:30 Re:lunch").map((t) => t.type)).toEqual(["text", "text", "text"]);
  });

  test("empty values, bad dates and unsupported is:/has: values give a clear message", () => {
    expect(error("from: alice")).toBe("“from:” needs a value, e.g. from:alice@acme.com.");
    expect(error('subject:""')).toContain("“subject:” needs a value");
    expect(error("before:2024-13-01")).toBe("“before:2024-13-01” is not a date. Write it as YYYY-MM-DD or YYYY/MM/DD, e.g. before:2024-03-31.");
    expect(error("after:2023-02-29")).toContain("is not a date");
    expect(error("after:yesterday")).toContain("is not a date");
    expect(error("is:important")).toBe("“is:important” is not supported. Use is:unread, is:read or is:starred.");
    expect(error("has:drive")).toBe("“has:drive” is not supported. Use has:attachment.");
  });

  test("an unclosed quote runs to the end, with a warning", () => {
    const result = parseSearchQuery('pipeline "capacity report');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.query.clauses.flat().map(formatSearchNode)).toEqual(["pipeline", '"capacity report"']);
    expect(result.warnings[0]).toContain("quote was never closed");
    const op = parseSearchQuery('from:"Alice Wal');
    expect(op.ok && op.query.clauses[0]![0]).toMatchObject({ type: "participant", value: "alice wal" });
  });

  test("empty and whitespace-only searches have no clauses; parentheses are ignored", () => {
    expect(clauses("   ")).toEqual([]);
    expect(clauses('"  "')).toEqual([]);
    expect(terms("(tacos)").map(formatSearchNode)).toEqual(["tacos"]);
  });

  test("limits: overly long searches and too many terms are refused", () => {
    expect(error("a".repeat(1001))).toContain("too long");
    expect(error(Array.from({ length: 41 }, (_, i) => `w${i}`).join(" "))).toContain("Too many search terms");
  });

  test("formatSearchNode round-trips", () => {
    const input = '-from:bob subject:"q3 report" has:attachment after:2024-01-31 is:unread in:"Big deal" -"tacos again"';
    const formatted = clauses(input).flat().map(formatSearchNode).join(" ");
    expect(formatted).toBe(input);
    expect(clauses(formatted)).toEqual(clauses(input));
  });

  test("hasRankableText: only positive text or subject terms rank", () => {
    const q = (s: string) => (parseSearchQuery(s) as { ok: true; query: Parameters<typeof hasRankableText>[0] }).query;
    expect(hasRankableText(q("from:bob -tacos"))).toBe(false);
    expect(hasRankableText(q("from:bob tacos"))).toBe(true);
    expect(hasRankableText(q("subject:lunch"))).toBe(true);
  });

  test("parseDay accepts real days only", () => {
    expect(parseDay("2024-02-29")).toBe("2024-02-29");
    expect(parseDay("2024/2/9")).toBe("2024-02-09");
    expect(parseDay("2023-02-29")).toBeNull();
    expect(parseDay("2024-00-10")).toBeNull();
    expect(parseDay("24-01-01")).toBeNull();
    expect(parseDay("0000-01-01")).toBeNull();
  });
});
