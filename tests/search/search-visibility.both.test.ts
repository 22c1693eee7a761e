import { beforeAll, describe, expect, test } from "vitest";
import { searchMessages } from "@/lib/search/search-messages";
import { fileTestDatabase } from "@/tests/support/test-database";
import { seedAccount, seedMail, seedOrg, seedUser } from "./support";

/*
 * Mo links four mailboxes, one per visibility; Vera (an admin, even) searches the organisation.
 * What Vera may not see must neither be shown nor decide whether a message is found or excluded;
 * Mo, the owner of the mailboxes, sees everything.
 */

const database = fileTestDatabase();
let orgId: string;
let mo: { id: string };
let vera: { id: string };
const keyOf = new Map<string, string>();

beforeAll(async () => {
  const db = database.db;
  mo = await seedUser(db, `mo-${Date.now()}@acme.test`);
  vera = await seedUser(db, `vera-${Date.now()}@acme.test`);
  const org = await seedOrg(db, "Visible", [
    { userId: mo.id, role: "member" },
    { userId: vera.id, role: "admin" },
  ]);
  orgId = org.id;
  const boxes = {
    shared: await seedAccount(db, org.id, "mo.shared@acme.test", { userId: mo.id, visibility: "shared" }),
    subject: await seedAccount(db, org.id, "mo.subject@acme.test", { userId: mo.id, visibility: "subject" }),
    metadata: await seedAccount(db, org.id, "mo.meta@acme.test", { userId: mo.id, visibility: "metadata" }),
    private: await seedAccount(db, org.id, "mo.private@acme.test", { userId: mo.id, visibility: "private" }),
  };
  const mail = (level: string, extra: { attachments?: string[] } = {}) => ({
    key: level,
    from: `Sender ${level} <${level}@partner.example>`,
    to: [`mo.${level}@acme.test`],
    subject: `Okapi ${level} subject`,
    body: `Giraffe ${level} body`,
    date: "2024-06-01T10:00:00Z",
    attachments: [`${level}-plan.pdf`],
    ...extra,
  });
  for (const [level, account] of Object.entries(boxes)) {
    const ids = await seedMail(db, account, [mail(level)]);
    keyOf.set(ids[level]!, level);
  }
});
async function found(userId: string, query: string) {
  const result = await searchMessages(database.db, { orgId, viewer: { userId }, query, limit: 50 });
  return result.results.map((r) => ({ key: keyOf.get(r.id)!, access: r.access, subject: r.subject, body: r.highlight.map((s) => s.text).join(""), attachments: r.hasAttachments })).sort((a, b) => a.key.localeCompare(b.key));
}
const keysOf = async (userId: string, query: string) => (await found(userId, query)).map((r) => r.key);

describe("visibility of other members' mailboxes in search", () => {
  test("the owner of the mailboxes sees and finds everything", async () => {
    expect(await keysOf(mo.id, "giraffe")).toEqual(["metadata", "private", "shared", "subject"]);
    expect(await keysOf(mo.id, "okapi")).toEqual(["metadata", "private", "shared", "subject"]);
    expect(await keysOf(mo.id, "has:attachment")).toEqual(["metadata", "private", "shared", "subject"]);
    expect(await keysOf(mo.id, "filename:plan")).toEqual(["metadata", "private", "shared", "subject"]);
  });

  test("private mailboxes do not exist for others, whatever they search", async () => {
    for (const query of ["giraffe", "okapi", "from:private@partner.example", "account:mo.private@acme.test", "in:inbox", "-zzz"]) {
      expect(await keysOf(vera.id, query), query).not.toContain("private");
    }
  });

  test("body text matches only where the body is visible (shared)", async () => {
    expect(await keysOf(vera.id, "giraffe")).toEqual(["shared"]);
    expect(await keysOf(vera.id, '"giraffe subject body"')).toEqual([]);
  });

  test("subject text and subject: match where subjects are visible (shared, subject)", async () => {
    expect(await keysOf(vera.id, "okapi")).toEqual(["shared", "subject"]);
    expect(await keysOf(vera.id, "subject:okapi")).toEqual(["shared", "subject"]);
  });

  test("participants, dates, folders, flags and the account match at metadata level", async () => {
    expect(await keysOf(vera.id, "from:partner.example")).toEqual(["metadata", "shared", "subject"]);
    expect(await keysOf(vera.id, "sender")).toEqual(["metadata", "shared", "subject"]);
    expect(await keysOf(vera.id, "after:2024-05-31 in:inbox is:unread account:mo.meta@acme.test")).toEqual(["metadata"]);
  });

  test("attachments are content: has: and filename: match only shared mailboxes", async () => {
    expect(await keysOf(vera.id, "has:attachment")).toEqual(["shared"]);
    expect(await keysOf(vera.id, "filename:plan")).toEqual(["shared"]);
  });

  test("hidden content cannot exclude a message either (negation sees what the viewer sees)", async () => {
    expect(await keysOf(vera.id, "from:partner.example -giraffe")).toEqual(["metadata", "subject"]);
    expect(await keysOf(vera.id, "from:partner.example -subject:okapi")).toEqual(["metadata"]);
    expect(await keysOf(vera.id, "from:partner.example -has:attachment")).toEqual(["metadata", "subject"]);
    expect(await keysOf(mo.id, "from:partner.example -giraffe")).toEqual([]);
  });

  test("results carry only what may be shown", async () => {
    const results = await found(vera.id, "from:partner.example");
    expect(results).toEqual([
      { key: "metadata", access: "metadata", subject: null, body: "", attachments: false },
      { key: "shared", access: "full", subject: "Okapi shared subject", body: "Giraffe shared body", attachments: true },
      { key: "subject", access: "subject", subject: "Okapi subject subject", body: "", attachments: false },
    ]);
    // Highlighting a hidden word never surfaces hidden text.
    const highlighted = await found(vera.id, "okapi OR giraffe OR sender");
    expect(highlighted.find((r) => r.key === "subject")).toMatchObject({ subject: "Okapi subject subject", body: "" });
    expect(highlighted.find((r) => r.key === "metadata")).toMatchObject({ subject: null, body: "" });
  });

  test("ranking uses only visible text: a hidden body match does not lift a result", async () => {
    const ranked = await searchMessages(database.db, { orgId, viewer: { userId: vera.id }, query: "okapi OR giraffe" });
    const rank = Object.fromEntries(ranked.results.map((r) => [keyOf.get(r.id), r.rank]));
    const own = await searchMessages(database.db, { orgId, viewer: { userId: mo.id }, query: "okapi OR giraffe" });
    const ownRank = Object.fromEntries(own.results.map((r) => [keyOf.get(r.id), r.rank]));
    expect(rank.subject).toBeLessThan(ownRank.subject!);
    expect(rank.shared).toBeCloseTo(ownRank.shared!, 6);
  });
});
