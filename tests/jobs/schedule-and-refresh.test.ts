import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { mailAccounts } from "@/db/schema";
import { createRefreshAccountTokenFunction, createRefreshTokensFunction } from "@/inngest/functions/refresh-tokens";
import { createScheduleSyncsFunction } from "@/inngest/functions/schedule-syncs";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { RefreshAccountToken } from "@/lib/jobs/token-refresher";
import { insertMailAccount, insertOrganization } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";
import { startTestJobs } from "./support/in-process-jobs";

const database = fileTestDatabase();
let jobs: Awaited<ReturnType<typeof startTestJobs>> | null = null;
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
});
describe("schedule-syncs", () => {
  test("claims the due accounts and sends one sync request each (sendEvent mocked)", async () => {
    const db = database.db;
    const org = await insertOrganization(db);
    const due = await insertMailAccount(db, org.id, { status: "active", nextSyncAt: new Date(Date.now() - 5_000) });
    const soon = await insertMailAccount(db, org.id, { status: "active", nextSyncAt: new Date(Date.now() + 10_000) });
    await insertMailAccount(db, org.id, { status: "active", nextSyncAt: new Date(Date.now() + 600_000) });
    await insertMailAccount(db, org.id, { status: "paused", nextSyncAt: null });
    const fn = createScheduleSyncsFunction({ db, intervalMs: 300_000 });
    expect(fn.opts.triggers).toEqual([{ cron: "* * * * *" }]);
    expect(fn.opts.singleton).toEqual({ mode: "skip" });

    // step.sendEvent must be mocked under @inngest/test.
    const engine = () =>
      new InngestTestEngine({
        function: fn,
        events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }],
        steps: [{ id: "request-syncs", handler: () => ({ ids: [] }) }],
      });
    const { result, ctx } = await engine().execute();
    expect(result).toEqual({ requested: 2 });
    const [, events] = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { name: string; data: { accountId: string } }[]][] } }).mock.calls[0]!;
    expect(events.map((e) => e.name)).toEqual(["threadline/account.sync.requested", "threadline/account.sync.requested"]);
    expect(events.map((e) => e.data.accountId).sort()).toEqual([due.id, soon.id].sort());
    expect(events.every((e) => (e.data as { reason?: string }).reason === "schedule")).toBe(true);

    // The next tick finds nothing: they are leased until their sync runs.
    const again = await engine().execute();
    expect(again.result).toEqual({ requested: 0 });
  });
});

describe("refresh-tokens", () => {
  test("finds OAuth tokens expiring within 15 minutes and requests a refresh for each", async () => {
    const db = database.db;
    const org = await insertOrganization(db);
    const oauth = (expiresInMs: number, status: "active" | "paused" = "active") =>
      insertMailAccount(db, org.id, {
        status,
        authKind: "oauth2",
        encryptedPassword: null,
        encryptedAccessToken: encryptSecret("access"),
        encryptedRefreshToken: encryptSecret("refresh"),
        tokenExpiresAt: new Date(Date.now() + expiresInMs),
      });
    const expiring = await oauth(5 * 60_000);
    const expired = await oauth(-60_000);
    await oauth(60 * 60_000);
    await oauth(60_000, "paused");
    await insertMailAccount(db, org.id, { status: "active" });

    const t = new InngestTestEngine({
      function: createRefreshTokensFunction({ db }),
      events: [{ name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" } }],
      steps: [{ id: "request-refreshes", handler: () => ({ ids: [] }) }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ requested: 2 });
    const [, events] = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { data: { accountId: string } }[]][] } }).mock.calls[0]!;
    expect(events.map((e) => e.data.accountId).sort()).toEqual([expiring.id, expired.id].sort());
  });

  test("refresh-account-token calls the refresher; a revoked grant is not retried and stops the account", async () => {
    const db = database.db;
    const org = await insertOrganization(db);
    const account = await insertMailAccount(db, org.id, { status: "active" });
    const fn = createRefreshAccountTokenFunction({ db, refreshAccountToken: async () => ({ expiresAt: new Date("2026-12-01T00:00:00Z") }) });
    expect(fn.opts.singleton).toEqual({ key: "event.data.accountId", mode: "skip" });
    const ok = await new InngestTestEngine({ function: fn, events: [{ name: "threadline/account.token.refresh.requested", data: { accountId: account.id } }] }).execute();
    expect(ok.result).toEqual({ expiresAt: "2026-12-01T00:00:00.000Z" });

    // The failure path needs retries modelled: the in-process runner.
    let calls = 0;
    const revoked: RefreshAccountToken = async () => {
      calls++;
      throw new Error("invalid_grant: token has been revoked");
    };
    jobs = await startTestJobs({ db, runSyncStep: async () => ({ done: true }), refreshAccountToken: revoked });
    jobs.runner.send({ name: "threadline/account.token.refresh.requested", data: { accountId: account.id } });
    await jobs.runner.whenIdle();
    expect(calls).toBe(1);
    const [row] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, account.id));
    expect(row).toMatchObject({ status: "reconnect_needed", nextSyncAt: null });
    expect(row!.statusReason).toMatch(/invalid_grant/);
  });
});
