import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { mailAccounts, mailboxes } from "@/db/schema";
import { beginAccountSync } from "@/lib/jobs/begin-account-sync";
import { claimDueAccounts } from "@/lib/jobs/claim-due-accounts";
import { claimPendingSyncRequest, finishAccountSync } from "@/lib/jobs/finish-account-sync";
import { getAccountJobStates } from "@/lib/jobs/get-account-job-states";
import { listWatchableAccounts } from "@/lib/jobs/idle/list-watchable-accounts";
import { isSyncPending } from "@/lib/jobs/is-sync-pending";
import { markSyncRequested } from "@/lib/jobs/mark-sync-requested";
import { recordSyncFailure } from "@/lib/jobs/record-sync-failure";
import { insertMailAccount, insertMailbox, insertOrganization } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";

// The scheduling queries on both engines (PGlite is the embedded default).

const database = fileTestDatabase();
const ago = (ms: number) => new Date(Date.now() - ms);

describe("scheduling on " + (process.env.TEST_DB_ENGINE ?? "postgres"), () => {
  test("claimDueAccounts: due and never-synced accounts, oldest first, leased; never paused or reconnect_needed", async () => {
    const db = database.db;
    const org = await insertOrganization(db);
    const older = await insertMailAccount(db, org.id, { status: "active", nextSyncAt: ago(60_000) });
    const newer = await insertMailAccount(db, org.id, { status: "error", nextSyncAt: ago(1_000) });
    const fresh = await insertMailAccount(db, org.id, { status: "connecting", nextSyncAt: null });
    await insertMailAccount(db, org.id, { status: "active", nextSyncAt: new Date(Date.now() + 60_000) });
    await insertMailAccount(db, org.id, { status: "paused", nextSyncAt: ago(60_000) });
    await insertMailAccount(db, org.id, { status: "reconnect_needed", nextSyncAt: ago(60_000) });

    const first = await claimDueAccounts(db, { limit: 2, leaseMs: 120_000 });
    // The two most overdue (never synced counts as most overdue); RETURNING order is not the claim order.
    expect(first.map((a) => a.id).sort()).toEqual([fresh.id, older.id].sort());
    const second = await claimDueAccounts(db, { limit: 10, leaseMs: 120_000 });
    expect(second.map((a) => a.id)).toEqual([newer.id]);
    expect(await claimDueAccounts(db, { limit: 10, leaseMs: 120_000 })).toEqual([]);
    const [leased] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, older.id));
    expect(leased!.nextSyncAt!.getTime() - Date.now()).toBeGreaterThan(100_000);
  });

  test("a request during a run is seen once by the run's check, and not by a later one", async () => {
    const db = database.db;
    const org = await insertOrganization(db);
    const account = await insertMailAccount(db, org.id, { status: "active", nextSyncAt: null });
    expect(await beginAccountSync(db, { accountId: account.id, intervalMs: 60_000 })).toEqual({ started: true, orgId: org.id });
    expect(await isSyncPending(db, account.id)).toBe(false);
    expect(await claimPendingSyncRequest(db, { accountId: account.id, intervalMs: 60_000 })).toBe(false);

    expect(await markSyncRequested(db, { orgId: org.id, accountId: account.id })).toBe("active");
    expect(await isSyncPending(db, account.id)).toBe(true);
    expect(await claimPendingSyncRequest(db, { accountId: account.id, intervalMs: 60_000 })).toBe(true);
    expect(await claimPendingSyncRequest(db, { accountId: account.id, intervalMs: 60_000 })).toBe(false);

    // Another organisation cannot poke the account.
    const stranger = await insertOrganization(db);
    expect(await markSyncRequested(db, { orgId: stranger.id, accountId: account.id })).toBeNull();

    // A run that stopped with work left makes the account due at once.
    await finishAccountSync(db, { accountId: account.id, complete: false });
    expect(await isSyncPending(db, account.id)).toBe(true);
  });

  test("recordSyncFailure: back-off grows with failures; auth stops the account; counted once when the core did", async () => {
    const db = database.db;
    const org = await insertOrganization(db);
    const flaky = await insertMailAccount(db, org.id, { status: "active" });
    await recordSyncFailure(db, { accountId: flaky.id, failure: { kind: "transient", message: "connect ECONNREFUSED" } });
    const once = (await db.select().from(mailAccounts).where(eq(mailAccounts.id, flaky.id)))[0]!;
    expect(once).toMatchObject({ status: "error", consecutiveFailures: 1, statusReason: "connect ECONNREFUSED" });
    for (let i = 0; i < 4; i++) await recordSyncFailure(db, { accountId: flaky.id, failure: { kind: "transient", message: "again" } });
    const five = (await db.select().from(mailAccounts).where(eq(mailAccounts.id, flaky.id)))[0]!;
    expect(five.consecutiveFailures).toBe(5);
    // 1 min doubling: the fifth failure waits about 16 minutes, the first about one.
    expect(five.nextSyncAt!.getTime() - Date.now()).toBeGreaterThan(13 * 60_000);
    expect(once.nextSyncAt!.getTime() - Date.now()).toBeLessThan(2 * 60_000);

    const recorded = await insertMailAccount(db, org.id, { status: "reconnect_needed", consecutiveFailures: 1, statusReason: "Authentication failed" });
    await recordSyncFailure(db, { accountId: recorded.id, failure: { kind: "auth", message: "Authentication failed", recorded: true } });
    expect((await db.select().from(mailAccounts).where(eq(mailAccounts.id, recorded.id)))[0]).toMatchObject({
      status: "reconnect_needed",
      consecutiveFailures: 1,
      statusReason: "Authentication failed",
      nextSyncAt: null,
    });
  });

  test("the watcher's account list and the dashboard's job state", async () => {
    const db = database.db;
    const org = await insertOrganization(db);
    const active = await insertMailAccount(db, org.id, { status: "active" });
    const sent = await insertMailbox(db, active, "Sent Items");
    await db.update(mailboxes).set({ specialUse: "sent" }).where(eq(mailboxes.id, sent.id));
    const syncing = await insertMailAccount(db, org.id, { status: "syncing" });
    await insertMailAccount(db, org.id, { status: "error" });
    await insertMailAccount(db, org.id, { status: "connecting" });
    const watched = (await listWatchableAccounts(db, { sent: true })).filter((a) => a.orgId === org.id);
    expect(watched.map((a) => [a.id, a.folders]).sort()).toEqual([[active.id, ["INBOX", "Sent Items"]], [syncing.id, ["INBOX"]]].sort());
    expect((await listWatchableAccounts(db, { sent: false })).find((a) => a.id === active.id)!.folders).toEqual(["INBOX"]);

    const states = await getAccountJobStates(db, { orgId: org.id });
    expect(states).toHaveLength(4);
    expect(states.every((s) => s.lastRun === null && s.current === null && s.watcher === null)).toBe(true);
  });
});
