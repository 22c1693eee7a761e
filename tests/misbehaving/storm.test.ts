import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mailAccounts } from "@/db/schema";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { IdleWatcher } from "@/lib/jobs/idle/idle-watcher";
import { defaultRetryDelay } from "@/lib/jobs/in-process/clock";
import { appendMessages } from "@/tests/support/mail-seed";
import { type TestJobs, type UnderFire, fastClock, maxInWindow, startJobs, startUnderFire } from "./support";

// Everything at once, as in production: the schedule ticking, the IDLE watcher on Inbox and Sent,
// the sync-account function with its production retry delays, against a server that says BYE to
// every SELECT/EXAMINE (it logs in fine, then drops each session). Policy time runs ten times
// faster; the proxy counts every login the server sees.

const FACTOR = 10;
const clock = fastClock(FACTOR);
let h: UnderFire;
let jobs: TestJobs;
let watcher: IdleWatcher;

beforeAll(async () => {
  h = await startUnderFire({ now: clock.now });
  await appendMessages(h.seed, "INBOX", Array.from({ length: 5 }, (_, i) => ({ subject: `Storm ${i}` })));
  jobs = await startJobs(h, { clock, retryDelay: defaultRetryDelay });
  await jobs.syncNow("linked");
  expect(await h.accountRow()).toMatchObject({ status: "active" });
}, 60_000);

afterAll(async () => {
  await watcher?.stop();
  await jobs?.stop();
  await h?.close();
});

describe("no login storm", () => {
  test("a server that drops every session: the schedule keeps ticking, logins stay bounded and die down, the account says why", async () => {
    await appendMessages(h.seed, "INBOX", [{ subject: "Storm trigger" }]);
    h.proxy.set({ bye: { command: /^(SELECT|EXAMINE)\b/i, afterLines: 0, text: "Internal error, try again" } });
    // Due now: the next schedule tick takes it.
    await h.db.update(mailAccounts).set({ nextSyncAt: sql`now()` }).where(eq(mailAccounts.id, h.account.id));
    const from = clock.now();
    watcher = new IdleWatcher({
      db: h.db,
      requestSync: (a) => requestAccountSync({ orgId: a.orgId, accountId: a.id, reason: "idle" }, h.db),
      connect: async () => h.connect(await h.accountRow()),
      refreshMs: 30_000,
      // Production's one second of real time (see idle-under-fire.test.ts).
      confirmAfterMs: 1_000 * FACTOR,
      clock,
    });
    await watcher.start();
    // The schedule ticks every policy minute in production; here every 10 policy seconds, harsher.
    const ticks: string[] = [];
    const ticker = setInterval(() => {
      const id = jobs.runner.triggerCron("schedule-syncs");
      if (id) ticks.push(id);
    }, 10_000 / FACTOR);
    try {
      await new Promise((resolve) => setTimeout(resolve, (3 * 60_000) / FACTOR));
    } finally {
      clearInterval(ticker);
    }
    await jobs.runner.whenIdle();

    const logins = h.proxy.logins.filter((l) => l.at >= from).map((l) => l.at);
    const byMinute = [0, 1, 2].map((m) => logins.filter((t) => t >= from + m * 60_000 && t < from + (m + 1) * 60_000).length);
    const syncRuns = jobs.runner.runs({ functionId: "sync-account" }).filter((r) => r.queuedAt >= from);
    const row = await h.accountRow();
    console.log(
      `server dropping every session, 3 policy minutes, ${ticks.length} schedule ticks: logins per minute ${byMinute.join(", ")} (max ${maxInWindow(logins, 60_000)} in any minute); ` +
        `${syncRuns.length} sync run(s); account ${row.status}, next sync in ${Math.round((row.nextSyncAt!.getTime() - Date.now()) / 1000)} s real: ${row.statusReason}; watching: ${JSON.stringify(watcher.status(h.account.id))}`,
    );

    // One failing run (1 + 4 retries) and the watcher's capped reconnects: bounded in the worst
    // minute, then quiet — the failed run pushed the next sync out, the ticks found nothing due,
    // and the watcher let go of an account in error.
    // Minutes counted from the start: the cap counts grants, and the server sees each login a
    // connect later (seconds on this clock), which a sliding window would count twice over.
    expect(syncRuns).toHaveLength(1);
    expect(byMinute[0]).toBeLessThanOrEqual(5 + 6);
    expect(byMinute[1]).toBeLessThanOrEqual(6);
    expect(byMinute[2]).toBe(0);
    expect(row.status).toBe("error");
    expect(row.statusReason).toMatch(/BYE: Internal error, try again/);
    expect(row.nextSyncAt!.getTime() - Date.now()).toBeGreaterThan(60_000);
    expect(watcher.status(h.account.id)).toBeNull();
  });
});
