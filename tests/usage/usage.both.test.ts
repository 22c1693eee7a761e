import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { attachments, syncRuns } from "@/db/schema";
import { findUsageAccount } from "@/lib/usage/find-usage-account";
import { getUsageSummary } from "@/lib/usage/get-usage-summary";
import { getUsageTimeseries } from "@/lib/usage/get-usage-timeseries";
import { listAccountUsage } from "@/lib/usage/list-account-usage";
import { listOrganizationUsage } from "@/lib/usage/list-organization-usage";
import { listSyncRuns } from "@/lib/usage/list-sync-runs";
import { type SeededAccount, seedAccount, seedMail, seedOrg, seedUser } from "@/tests/search/support";
import { fileTestDatabase } from "@/tests/support/test-database";

/*
 * Usage figures against hand-seeded sync runs and messages whose numbers are known: every figure on
 * the usage pages is checked here, per organisation, per account, across the platform.
 */

const database = fileTestDatabase();
let acme: { id: string; slug: string };
let other: { id: string; slug: string };
let gmail: SeededAccount;
let imap: SeededAccount;
let elsewhere: SeededAccount;

const DAY = 86_400_000;
/** Fixed in beforeAll, away from midnight, so "today" is the same UTC day for the seed and the queries. */
let startOfToday: number;
let seededAt: number;
/**
 * A time on the UTC day `daysAgo` before today. Past days use the given hour; today's hours are scaled
 * into the part of today already gone, so they keep their order and stay in the past even just after midnight.
 */
const at = (daysAgo: number, hour = 6) =>
  new Date(daysAgo === 0 ? startOfToday + Math.floor(((seededAt - startOfToday) * hour) / 24) : startOfToday - daysAgo * DAY + hour * 3_600_000);
const dayOf = (daysAgo: number) => new Date(startOfToday - daysAgo * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  ({ startOfToday, now: seededAt } = await awayFromMidnight());
  const db = database.db;
  const owner = await seedUser(db, `usage-${Date.now()}@acme.test`);
  acme = await seedOrg(db, "Acme usage", [{ userId: owner.id, role: "owner" }]);
  other = await seedOrg(db, "Other usage");
  gmail = await seedAccount(db, acme.id, "sales@acme.test", { provider: "gmail", authKind: "oauth2", userId: owner.id, status: "active" });
  imap = await seedAccount(db, acme.id, "ops@acme.test", { provider: "imap", status: "reconnect_needed", statusReason: "Sign-in refused", consecutiveFailures: 2 });
  elsewhere = await seedAccount(db, other.id, "x@other.test", { provider: "outlook", authKind: "oauth2", status: "error" });

  // Message sizes come from the seed (400 + body length + attachment sizes).
  await seedMail(db, gmail, [
    { key: "g1", from: "a@x.test", subject: "One", body: "x".repeat(100), date: "2024-01-01T00:00:00Z" },
    { key: "g2", from: "a@x.test", subject: "Two", body: "y".repeat(200), date: "2024-01-02T00:00:00Z", attachments: ["a.pdf"] },
  ]);
  await seedMail(db, imap, [{ key: "i1", from: "b@x.test", subject: "Three", body: "z".repeat(50), date: "2024-01-03T00:00:00Z" }]);
  await seedMail(db, elsewhere, [{ key: "e1", from: "c@x.test", subject: "Four", body: "w".repeat(5000), date: "2024-01-04T00:00:00Z" }]);
  // A kept attachment copy of 300 bytes counts towards storage.
  await db.update(attachments).set({ content: Buffer.alloc(300, 1) }).where(eq(attachments.filename, "a.pdf"));

  const run = (account: SeededAccount, startedAt: Date, seconds: number | null, outcome: "success" | "partial" | "failed" | "running", added: number, errorKind: string | null = null) => ({
    orgId: account.orgId,
    accountId: account.id,
    trigger: "schedule",
    startedAt,
    finishedAt: seconds === null ? null : new Date(startedAt.getTime() + seconds * 1000),
    outcome,
    messagesAdded: added,
    errorKind,
    error: errorKind ? `${errorKind} trouble` : null,
  });
  await db.insert(syncRuns).values([
    // Today: 3 runs on Gmail (10 s, 20 s, 30 s), one failed throttled.
    run(gmail, at(0, 1), 10, "success", 100),
    run(gmail, at(0, 2), 20, "success", 50),
    run(gmail, at(0, 3), 30, "failed", 0, "throttled"),
    // Two days ago: IMAP auth failure, and a partial network run.
    run(imap, at(2), 5, "failed", 0, "auth"),
    run(imap, at(2, 8), 40, "partial", 7, "network"),
    // A run still going (no duration, not finished).
    run(gmail, at(1), null, "running", 0),
    // Outside a 30-day window.
    run(gmail, at(40), 100, "failed", 999, "timeout"),
    // Another organisation, today.
    run(elsewhere, at(0, 4), 60, "failed", 3, "protocol"),
  ]);
});
describe("organisation usage", () => {
  test("summary: accounts by provider and status, messages, storage, runs, failure rate, errors by kind", async () => {
    const summary = await getUsageSummary(database.db, { kind: "org", orgId: acme.id }, 30);
    expect(summary.accounts).toEqual({
      total: 2,
      byStatus: { active: 1, reconnect_needed: 1 },
      byProvider: [
        { provider: "gmail", status: "active", count: 1 },
        { provider: "imap", status: "reconnect_needed", count: 1 },
      ],
    });
    expect(summary.messages).toBe(3);
    const messageBytes = 400 + 100 + (400 + 200 + 1005) + (400 + 50);
    expect(summary.storage).toEqual({ messageBytes, attachmentBytes: 300, totalBytes: messageBytes + 300 });
    expect(summary.runs).toEqual({ today: 3, inWindow: 6, failed: 2, partial: 1, throttled: 1, finished: 5, failureRate: 2 / 5 });
    expect(summary.messagesAdded).toBe(157);
    expect(summary.errorsByKind).toEqual([
      { kind: "auth", count: 1 },
      { kind: "network", count: 1 },
      { kind: "throttled", count: 1 },
    ]);
    expect(summary.lastActivityAt?.getTime()).toBe(at(0, 3).getTime());
    expect(summary.organizations).toBe(1);
  });

  test("a longer window takes older runs in", async () => {
    const summary = await getUsageSummary(database.db, { kind: "org", orgId: acme.id }, 90);
    expect(summary.runs.inWindow).toBe(7);
    expect(summary.messagesAdded).toBe(157 + 999);
    expect(summary.errorsByKind.map((e) => e.kind)).toContain("timeout");
  });

  test("timeseries: one row per UTC day with messages, runs, failures, p50/p95 duration and errors by kind", async () => {
    const days = await getUsageTimeseries(database.db, { kind: "org", orgId: acme.id }, 7);
    expect(days.map((d) => d.day)).toEqual([6, 5, 4, 3, 2, 1, 0].map(dayOf));
    const byDay = Object.fromEntries(days.map((d) => [d.day, d]));
    expect(byDay[dayOf(0)]).toEqual({ day: dayOf(0), messagesAdded: 150, runs: 3, failed: 1, durationP50: 20, durationP95: 29, errors: { throttled: 1 } });
    expect(byDay[dayOf(1)]).toEqual({ day: dayOf(1), messagesAdded: 0, runs: 1, failed: 0, durationP50: null, durationP95: null, errors: {} });
    expect(byDay[dayOf(2)]).toMatchObject({ messagesAdded: 7, runs: 2, failed: 1, durationP50: 22.5, errors: { auth: 1, network: 1 } });
    expect(byDay[dayOf(3)]).toEqual({ day: dayOf(3), messagesAdded: 0, runs: 0, failed: 0, durationP50: null, durationP95: null, errors: {} });
  });

  test("per account: mail, storage and sync health of each mailbox, only the organisation's", async () => {
    const rows = await listAccountUsage(database.db, { kind: "org", orgId: acme.id }, 30);
    expect(rows.map((r) => r.emailAddress)).toEqual(["ops@acme.test", "sales@acme.test"]);
    const sales = rows.find((r) => r.emailAddress === "sales@acme.test")!;
    expect(sales).toMatchObject({ provider: "gmail", status: "active", messages: 2, storageBytes: 500 + 1605 + 300, runs: 4, failed: 1, throttled: 1, failureRate: 1 / 3, messagesAdded: 150 });
    expect(sales.owner).toBeTruthy();
    const ops = rows.find((r) => r.emailAddress === "ops@acme.test")!;
    expect(ops).toMatchObject({ status: "reconnect_needed", statusReason: "Sign-in refused", messages: 1, storageBytes: 450, runs: 2, failed: 1, failureRate: 0.5, consecutiveFailures: 2, owner: null });
  });

  test("account scope: the drill-down counts one mailbox, found only within its organisation", async () => {
    const scope = { kind: "account" as const, orgId: acme.id, accountId: imap.id };
    const summary = await getUsageSummary(database.db, scope, 30);
    expect(summary).toMatchObject({ messages: 1, messagesAdded: 7, runs: { inWindow: 2, failed: 1, partial: 1 } });
    expect(summary.accounts.total).toBe(1);
    expect(await findUsageAccount(database.db, { orgId: acme.id, accountId: imap.id })).toMatchObject({ emailAddress: "ops@acme.test" });
    expect(await findUsageAccount(database.db, { orgId: acme.id, accountId: elsewhere.id })).toBeNull();
    expect(await findUsageAccount(database.db, { orgId: acme.id, accountId: "not-a-uuid" })).toBeNull();
    // Another organisation's account id under this organisation finds nothing at all.
    const smuggled = await getUsageSummary(database.db, { kind: "account", orgId: acme.id, accountId: elsewhere.id }, 30);
    expect(smuggled).toMatchObject({ messages: 0, runs: { inWindow: 0 }, accounts: { total: 0 } });
  });

  test("sync history: newest first, paged, with duration, mailbox and error", async () => {
    const page = await listSyncRuns(database.db, { orgId: acme.id, accountId: imap.id, limit: 1 });
    expect(page.total).toBe(2);
    expect(page.runs).toHaveLength(1);
    expect(page.runs[0]).toMatchObject({ outcome: "partial", durationSeconds: 40, added: 7, errorKind: "network", error: "network trouble" });
    const second = await listSyncRuns(database.db, { orgId: acme.id, accountId: imap.id, limit: 1, offset: 1 });
    expect(second.runs[0]).toMatchObject({ outcome: "failed", errorKind: "auth" });
    expect((await listSyncRuns(database.db, { orgId: other.id, accountId: imap.id })).total).toBe(0);
  });
});

describe("platform usage", () => {
  test("summary and per account cover every organisation", async () => {
    const summary = await getUsageSummary(database.db, { kind: "platform" }, 30);
    // Other test files may share the database engine but not this database: exact figures hold.
    expect(summary.organizations).toBe(2);
    expect(summary.accounts.total).toBe(3);
    expect(summary.messages).toBe(4);
    expect(summary.runs).toMatchObject({ today: 4, inWindow: 7, failed: 3, finished: 6 });
    expect(summary.errorsByKind.map((e) => e.kind).sort()).toEqual(["auth", "network", "protocol", "throttled"]);
    const accounts = await listAccountUsage(database.db, { kind: "platform" }, 30);
    expect(accounts.map((a) => `${a.orgSlug}:${a.emailAddress}`).sort()).toEqual([`${acme.slug}:ops@acme.test`, `${acme.slug}:sales@acme.test`, `${other.slug}:x@other.test`].sort());
  });

  test("per organisation: members, accounts needing attention, messages, storage, runs, failure rate, last activity", async () => {
    const rows = await listOrganizationUsage(database.db, 30);
    const a = rows.find((r) => r.id === acme.id)!;
    expect(a).toMatchObject({ members: 1, accounts: 2, accountsNeedingAttention: 1, messages: 3, runs: 6, failed: 2, throttled: 1, failureRate: 2 / 5, messagesAdded: 157 });
    expect(a.storageBytes).toBe(400 + 100 + 400 + 200 + 1005 + 400 + 50 + 300);
    expect(a.lastActivityAt?.getTime()).toBe(at(0, 3).getTime());
    const o = rows.find((r) => r.id === other.id)!;
    expect(o).toMatchObject({ members: 0, accounts: 1, accountsNeedingAttention: 1, messages: 1, runs: 1, failed: 1, failureRate: 1 });
  });
});

/** Waits out the last minute before and the first seconds after UTC midnight, where "today" is ambiguous. */
async function awayFromMidnight(): Promise<{ startOfToday: number; now: number }> {
  for (;;) {
    const now = Date.now();
    const startOfToday = now - (now % DAY);
    const sinceMidnight = now - startOfToday;
    if (sinceMidnight >= 5_000 && DAY - sinceMidnight >= 60_000) return { startOfToday, now };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
