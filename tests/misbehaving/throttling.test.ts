import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { explainAccountProblem } from "@/lib/accounts/explain-account-problem";
import { getAccountJobStates } from "@/lib/jobs/get-account-job-states";
import { appendMessages } from "@/tests/support/mail-seed";
import { expectInSync } from "@/tests/sync/sync-harness";
import { type TestJobs, type UnderFire, maxInWindow, recordingClock, startJobs, startUnderFire } from "./support";

// Servers that throttle: [THROTTLED] and [OVERQUOTA] answers, and Office 365's "Request is
// throttled. Suggested Backoff Time: n milliseconds" (BAD at login followed by "* BYE Connection
// closed. 14", or NO on a FETCH — the wordings reported against outlook.office365.com). The
// sync-account function runs on a recording clock: the delays the policy picks (the function's
// retries, the server's back-off) are recorded and skipped, and the proxy stamps logins on the same
// clock, so "logins per minute" is measured on the time the policy believes has passed.

const clock = recordingClock();
let h: UnderFire;
let jobs: TestJobs;

beforeAll(async () => {
  h = await startUnderFire({ now: clock.now });
  await appendMessages(h.seed, "INBOX", Array.from({ length: 12 }, (_, i) => ({ subject: `Throttled ${i}` })));
  jobs = await startJobs(h, { clock });
  await jobs.syncNow("linked");
  expect(await h.accountRow()).toMatchObject({ status: "active" });
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await h?.close();
});

type Case = { name: string; refuse: { command: RegExp; reply: string; thenBye?: string }; retryAfterMs: number; reason: RegExp; fresh?: number };

const cases: Case[] = [
  {
    name: "LOGIN answered NO [THROTTLED]",
    refuse: { command: /^(LOGIN|AUTHENTICATE)\b/i, reply: "NO [THROTTLED] Too many login attempts, try later" },
    retryAfterMs: 60_000,
    reason: /throttling.*Too many login attempts/i,
  },
  {
    name: "LOGIN answered with Office 365's BAD Request is throttled + BYE",
    refuse: { command: /^(LOGIN|AUTHENTICATE)\b/i, reply: "BAD Request is throttled. Suggested Backoff Time: 15000 milliseconds", thenBye: "Connection closed. 14" },
    retryAfterMs: 15_000,
    reason: /back off for 15000 ms/,
  },
  {
    name: "EXAMINE answered NO [OVERQUOTA]",
    refuse: { command: /^(SELECT|EXAMINE)\b/i, reply: "NO [OVERQUOTA] Bandwidth limit exceeded" },
    retryAfterMs: 60_000,
    reason: /Bandwidth limit exceeded/,
    fresh: 3,
  },
  {
    name: "UID FETCH answered with Office 365's NO Request is throttled",
    refuse: { command: /^UID FETCH\b/i, reply: "NO Request is throttled. Suggested Backoff Time: 2000 milliseconds" },
    retryAfterMs: 2_000,
    reason: /throttl.*2000/i,
    fresh: 3,
  },
];

describe("throttling servers", () => {
  test.each(cases)("$name: throttled (not auth), retried after the server's delay, logins bounded, the account shows it", async (c) => {
    if (c.fresh) await appendMessages(h.seed, "INBOX", Array.from({ length: c.fresh }, (_, i) => ({ subject: `${c.name} ${i}` })));
    h.proxy.set({ refuse: c.refuse });
    const loginsBefore = h.proxy.logins.length;
    const sleepsBefore = clock.sleeps.length;
    const started = Date.now();
    await jobs.syncNow("manual");
    const realMs = Date.now() - started;
    const logins = h.proxy.logins.slice(loginsBefore);
    const row = await h.accountRow();
    const waits = clock.sleeps.slice(sleepsBefore);
    const perMinute = maxInWindow(logins.map((l) => l.at), 60_000);
    console.log(
      `${c.name}: ${logins.length} logins in ${realMs} ms real time; retry waits ${waits.join(", ")} ms; at most ${perMinute} logins/min; ` +
        `account ${row.status}, next sync in ${Math.round((row.nextSyncAt!.getTime() - Date.now()) / 1000)} s: ${row.statusReason}`,
    );

    // A throttled login is not the user's problem: never reconnect_needed.
    expect(row.status).not.toBe("reconnect_needed");
    expect(row.statusReason).toMatch(c.reason);
    expect(await h.lastRun()).toMatchObject({ outcome: "failed", errorKind: "throttled" });
    // The function retried, each time after the server's delay (not its own 1 s, 2 s … back-off).
    expect(logins.length).toBe(5);
    expect(waits.filter((w) => w === c.retryAfterMs)).toHaveLength(4);
    // Bounded logins: one per server delay, never more than six in any minute.
    expect(perMinute).toBeLessThanOrEqual(Math.min(6, Math.ceil(60_000 / c.retryAfterMs) + 1));
    // The schedule honours it too: not due before the server's delay has passed.
    expect(row.nextSyncAt!.getTime() - Date.now()).toBeGreaterThanOrEqual(c.retryAfterMs - 1_000);
    // What the accounts screen says: throttled, nothing to do, and when it tries again.
    const [job] = await getAccountJobStates(h.db, { orgId: h.account.orgId, accountIds: [h.account.id] });
    const problem = explainAccountProblem({
      status: row.status,
      statusReason: row.statusReason,
      unlinked: false,
      authKind: row.authKind,
      provider: row.provider,
      errorKind: job?.lastRun?.errorKind ?? null,
      lastErrorAt: row.lastErrorAt,
      nextRunAt: job?.nextRunAt ?? null,
      retryAt: null,
      consecutiveFailures: row.consecutiveFailures,
    });
    expect(problem).toMatchObject({ action: "wait", title: expect.stringMatching(/throttled/) });
    expect(new Date(problem!.retryAt!).getTime() - Date.now()).toBeGreaterThanOrEqual(c.retryAfterMs - 1_000);
    // Nothing waits for real: the whole run took seconds (imapflow's own wait is capped by the socket timeout).
    expect(realMs).toBeLessThan(15_000);

    h.proxy.set({});
    await jobs.syncNow("manual");
    expect(await h.accountRow()).toMatchObject({ status: "active", consecutiveFailures: 0, statusReason: null });
    await expectInSync(h);
  });
});
