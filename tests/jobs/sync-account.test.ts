import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { mailAccounts } from "@/db/schema";
import { createSyncAccountFunction } from "@/inngest/functions/sync-account";
import { markSyncRequested } from "@/lib/jobs/mark-sync-requested";
import type { RunSyncStep } from "@/lib/jobs/sync-step";
import { insertMailAccount, insertOrganization } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";

const database = fileTestDatabase();
describe("sync-account", () => {
  test("is a singleton per account, throttled per account, retried", () => {
    const fn = createSyncAccountFunction({ db: database.db, runSyncStep: async () => ({ done: true }) });
    expect(fn.opts.singleton).toEqual({ key: "event.data.accountId", mode: "skip" });
    expect(fn.opts.throttle).toMatchObject({ key: "event.data.accountId" });
    expect(fn.opts.retries).toBeGreaterThan(0);
  });

  test("loops bounded steps until the sync says nothing remains, then finishes", async () => {
    const account = await newAccount();
    const budgets: unknown[] = [];
    const runSyncStep: RunSyncStep = async ({ budget }) => {
      budgets.push(budget);
      return { done: budgets.length === 3, totals: { added: 10, bytes: 1000 } };
    };
    const { result, ctx } = await engine(runSyncStep, account.id).execute();
    expect(result).toMatchObject({ complete: true, rounds: 1, steps: 3, totals: { added: 30, bytes: 3000 } });
    expect(budgets).toEqual([{ maxMs: 5000, maxMessages: 100 }, { maxMs: 5000, maxMessages: 100 }, { maxMs: 5000, maxMessages: 100 }]);
    const stepIds = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map((c) => c[0]);
    expect(stepIds).toEqual(["begin", "sync", "sync", "sync", "check-requests", "finish"]);

    const row = await accountRow(account.id);
    // Claimed for one interval from the start of the run.
    expect(row.nextSyncAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  test("a request arriving during the run is not lost: the run goes round again", async () => {
    const account = await newAccount();
    let calls = 0;
    const runSyncStep: RunSyncStep = async () => {
      calls++;
      // What "sync now" or the IDLE watcher does while this sync works (its event is skipped by the singleton).
      if (calls === 1) await markSyncRequested(database.db, { orgId: account.orgId, accountId: account.id });
      return { done: true, totals: { added: 1 } };
    };
    const { result } = await engine(runSyncStep, account.id).execute();
    expect(result).toMatchObject({ complete: true, rounds: 2, steps: 2 });
    expect(calls).toBe(2);
  });

  test("paused and reconnect_needed accounts are not synced", async () => {
    for (const status of ["paused", "reconnect_needed"] as const) {
      const account = await newAccount({ status });
      let calls = 0;
      const { result } = await engine(async () => (calls++, { done: true }), account.id).execute();
      expect(result).toEqual({ skipped: expect.stringMatching(status === "paused" ? /paused/ : /reconnect/) });
      expect(calls).toBe(0);
      expect((await accountRow(account.id)).nextSyncAt).toBeNull();
    }
  });

  test("an auth failure fails the step for good (NonRetriableError), after one attempt", async () => {
    const account = await newAccount();
    let calls = 0;
    const { error } = await engine(async () => {
      calls++;
      throw Object.assign(new Error("Authentication failed"), { authenticationFailed: true, serverResponseCode: "AUTHENTICATIONFAILED" });
    }, account.id).execute();
    expect(error).toMatchObject({ name: "NonRetriableError", message: "Authentication failed", cause: { syncFailureKind: "auth" } });
    expect(calls).toBe(1);
    // What happens next (the account stops) needs the real protocol: see sync-account-runs.test.ts.
  });

  test("throttling asks to be retried after the time the server wants", async () => {
    const account = await newAccount();
    const runSyncStep: RunSyncStep = async () => {
      throw Object.assign(new Error("[THROTTLED] Too many simultaneous connections"), { retryAfterMs: 120_000 });
    };
    const { error } = await engine(runSyncStep, account.id).execute();
    // @inngest/test stops where Inngest would schedule the retry.
    expect(error).toMatchObject({ name: "RetryAfterError", message: expect.stringMatching(/THROTTLED/) });
    // Nothing recorded yet: the retry may well succeed.
    expect(await accountRow(account.id)).toMatchObject({ status: "active", consecutiveFailures: 0, statusReason: null });
  });

  test("a transient failure is left to Inngest's retries (plain error)", async () => {
    const account = await newAccount();
    const { error } = await engine(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    }, account.id).execute();
    expect(error).toMatchObject({ name: "Error", message: expect.stringMatching(/ECONNREFUSED/) });
  });
});

/* ---------- helpers ---------- */

function engine(runSyncStep: RunSyncStep, accountId: string) {
  const fn = createSyncAccountFunction({
    db: database.db,
    runSyncStep,
    intervalMs: 60_000,
    budget: { maxMs: 5000, maxMessages: 100 },
  });
  return new InngestTestEngine({
    function: fn,
    events: [{ name: "threadline/account.sync.requested", data: { accountId, reason: "manual" } }],
  });
}

async function newAccount(overrides: Partial<typeof mailAccounts.$inferInsert> = {}) {
  const org = await insertOrganization(database.db);
  return insertMailAccount(database.db, org.id, { status: "active", ...overrides });
}

async function accountRow(id: string) {
  const [row] = await database.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  return row!;
}
