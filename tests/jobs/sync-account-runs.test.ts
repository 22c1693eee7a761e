import { eq } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { mailAccounts } from "@/db/schema";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { ImapError } from "@/lib/imap/imap-error";
import { insertMailAccount, insertOrganization } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";
import { fakeClock, startTestJobs, until } from "./support/in-process-jobs";

// The sync-account function's failure paths and singleton through the real execution protocol
// (the in-process runner models retries, Retry-After and onFailure; @inngest/test does not).

const database = fileTestDatabase();
let jobs: Awaited<ReturnType<typeof startTestJobs>> | null = null;
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
});
describe("sync-account through the in-process runner", () => {
  test("an auth failure is tried once: the account stops, shows why, and is not scheduled", async () => {
    const account = await newAccount();
    let logins = 0;
    jobs = await startTestJobs({
      db: database.db,
      runSyncStep: async () => {
        logins++;
        throw new ImapError("auth", "Authentication failed: [AUTHENTICATIONFAILED] Authentication failed.");
      },
    });
    await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "manual" }, database.db);
    await jobs.runner.whenIdle();
    expect(logins).toBe(1);
    const row = await accountRow(account.id);
    expect(row).toMatchObject({ status: "reconnect_needed", consecutiveFailures: 1, nextSyncAt: null });
    expect(row.statusReason).toMatch(/AUTHENTICATIONFAILED/);
    expect(row.lastErrorAt).not.toBeNull();
    expect(jobs.runner.runs({ functionId: "sync-account" })[0]).toMatchObject({ status: "failed" });

    // Neither a new request nor the schedule touches it again.
    expect(await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "manual" }, database.db)).toEqual({ requested: false, status: "reconnect_needed" });
    jobs.runner.triggerCron("schedule-syncs");
    await jobs.runner.whenIdle();
    expect(logins).toBe(1);
    // onFailure ran and saw the failure was already handled: counted once.
    expect((await accountRow(account.id)).consecutiveFailures).toBe(1);
  });

  test("a transient failure is retried with back-off, then the account backs off", async () => {
    const account = await newAccount();
    let attempts = 0;
    const delays: number[] = [];
    jobs = await startTestJobs({
      db: database.db,
      runSyncStep: async () => {
        attempts++;
        throw new ImapError("network", "Connection failed: connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" });
      },
      retryDelay: (attempt) => (delays.push(attempt), 5),
    });
    await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "schedule" }, database.db);
    await jobs.runner.whenIdle();
    // retries: 4 → five attempts, four back-offs.
    expect(attempts).toBe(5);
    expect(delays).toEqual([0, 1, 2, 3]);
    const row = await accountRow(account.id);
    expect(row).toMatchObject({ status: "error", consecutiveFailures: 1 });
    expect(row.statusReason).toMatch(/ECONNREFUSED/);
    const wait = row.nextSyncAt!.getTime() - Date.now();
    expect(wait).toBeGreaterThan(40_000);
    expect(wait).toBeLessThan(80_000);
  });

  test("throttling waits the time the server asked for, then carries on", async () => {
    const account = await newAccount();
    const clock = fakeClock();
    let calls = 0;
    jobs = await startTestJobs({
      db: database.db,
      clock,
      runSyncStep: async () => {
        calls++;
        if (calls === 1) throw new ImapError("throttled", "Server is throttling: [THROTTLED]", { retryAfterMs: 42_000 });
        return { done: true, totals: { added: 3 } };
      },
    });
    await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "schedule" }, database.db);
    await jobs.runner.whenIdle();
    expect(clock.sleeps).toContain(42_000);
    expect(jobs.runner.runs({ functionId: "sync-account" })[0]).toMatchObject({ status: "completed", output: { complete: true, totals: { added: 3 } } });
  });

  test("one run per account; a request during the run makes it go round again instead of being lost", async () => {
    const a = await newAccount();
    const b = await newAccount();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: string[] = [];
    jobs = await startTestJobs({
      db: database.db,
      runSyncStep: async ({ accountId }) => {
        calls.push(accountId);
        if (calls.length === 1) await gate;
        return { done: true };
      },
    });
    await requestAccountSync({ orgId: a.orgId, accountId: a.id, reason: "linked" }, database.db);
    await until(() => calls.length === 1);
    // Both arrive while a's first round is inside its step: the event for a is dropped (singleton),
    // b runs alongside.
    await requestAccountSync({ orgId: a.orgId, accountId: a.id, reason: "idle" }, database.db);
    await requestAccountSync({ orgId: b.orgId, accountId: b.id, reason: "idle" }, database.db);
    await until(() => calls.includes(b.id));
    release();
    await jobs.runner.whenIdle();
    const runsForA = jobs.runner.runs({ functionId: "sync-account", where: (r) => r.event.data.accountId === a.id });
    expect(runsForA).toHaveLength(1);
    expect(runsForA[0]).toMatchObject({ status: "completed", output: { rounds: 2, steps: 2 } });
    expect(calls.filter((id) => id === a.id)).toHaveLength(2);
  });

  test("the schedule fans out to due accounts only", async () => {
    const due = await newAccount({ nextSyncAt: new Date(Date.now() - 1000) });
    const never = await newAccount({ nextSyncAt: null, status: "connecting" });
    const later = await newAccount({ nextSyncAt: new Date(Date.now() + 3_600_000) });
    const paused = await newAccount({ status: "paused", nextSyncAt: new Date(Date.now() - 1000) });
    const broken = await newAccount({ status: "reconnect_needed", nextSyncAt: new Date(Date.now() - 1000) });
    const backingOff = await newAccount({ status: "error", consecutiveFailures: 3, nextSyncAt: new Date(Date.now() + 600_000) });
    const synced = new Set<string>();
    jobs = await startTestJobs({ db: database.db, runSyncStep: async ({ accountId }) => (synced.add(accountId), { done: true }) });
    jobs.runner.triggerCron("schedule-syncs");
    await jobs.runner.whenIdle();
    const mine = [due, never, later, paused, broken, backingOff].map((a) => a.id);
    expect([...synced].filter((id) => mine.includes(id)).sort()).toEqual([due.id, never.id].sort());
    // Claimed: the next tick does not send them again.
    synced.clear();
    jobs.runner.triggerCron("schedule-syncs");
    await jobs.runner.whenIdle();
    expect([...synced].filter((id) => mine.includes(id))).toEqual([]);
  });

  test("onFailure records failures the handler could not (and only those)", async () => {
    const account = await newAccount();
    jobs = await startTestJobs({ db: database.db, runSyncStep: async () => ({ done: true }) });
    const failed = (error: Record<string, unknown>) => ({
      name: "inngest/function.failed",
      data: {
        function_id: "threadline-sync-account",
        run_id: "01TEST",
        error,
        event: { name: "threadline/account.sync.requested", data: { accountId: account.id, reason: "schedule" } },
      },
    });
    jobs.runner.send(failed({ name: "NonRetriableError", message: "already handled", cause: { syncFailureKind: "auth", handled: true } }));
    await jobs.runner.whenIdle();
    expect(await accountRow(account.id)).toMatchObject({ status: "active", consecutiveFailures: 0 });
    jobs.runner.send(failed({ name: "Error", message: "database connection lost" }));
    await jobs.runner.whenIdle();
    expect(await accountRow(account.id)).toMatchObject({ status: "error", consecutiveFailures: 1, statusReason: "database connection lost" });
  });
});

/* ---------- helpers ---------- */

async function newAccount(overrides: Partial<typeof mailAccounts.$inferInsert> = {}) {
  const org = await insertOrganization(database.db);
  return insertMailAccount(database.db, org.id, { status: "active", ...overrides });
}

async function accountRow(id: string) {
  const [row] = await database.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  return row!;
}
