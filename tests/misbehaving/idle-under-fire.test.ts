import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { IdleWatcher } from "@/lib/jobs/idle/idle-watcher";
import { until } from "@/tests/jobs/support/in-process-jobs";
import { appendMessages, buildMessage } from "@/tests/support/mail-seed";
import { countMessages } from "@/tests/sync/sync-harness";
import { SHORT_TIMEOUTS, type TestJobs, type UnderFire, fastClock, maxInWindow, startJobs, startUnderFire } from "./support";

// The IDLE watcher (Inbox + Sent, production back-off and login cap) and the sync jobs it triggers,
// against a server that drops IDLE with a BYE, goes silent in IDLE, or throttles logins. Both run on
// a clock five times faster than real time, so a minute of policy time takes twelve seconds; the
// proxy stamps logins on the same clock, and "logins per minute" counts everything the server sees
// (watcher sessions and sync sessions alike).

const FACTOR = 5;
const clock = fastClock(FACTOR);
let h: UnderFire;
let jobs: TestJobs;
let watcher: IdleWatcher | null = null;

beforeAll(async () => {
  h = await startUnderFire({ now: clock.now });
  await appendMessages(h.seed, "INBOX", Array.from({ length: 5 }, (_, i) => ({ subject: `Watched ${i}` })));
  await appendMessages(h.seed, "Sent", [{ subject: "Watched sent" }]);
  jobs = await startJobs(h, { clock });
  await jobs.syncNow("linked");
  expect(await h.accountRow()).toMatchObject({ status: "active" });
}, 60_000);

afterEach(async () => {
  await watcher?.stop();
  watcher = null;
  await jobs.runner.whenIdle();
  h.proxy.set({});
});

afterAll(async () => {
  await jobs?.stop();
  await h?.close();
});

async function startWatcher() {
  watcher = new IdleWatcher({
    db: h.db,
    requestSync: (a) => requestAccountSync({ orgId: a.orgId, accountId: a.id, reason: "idle" }, h.db),
    connect: async () => h.connect(await h.accountRow()),
    refreshMs: 30_000,
    // The re-ask after a sync request races real work (the run starting), not a policy delay: keep
    // it at production's one second of real time, or it asks again before the run has begun and
    // the run goes round once more.
    confirmAfterMs: 1_000 * FACTOR,
    clock,
  });
  await watcher.start();
  return watcher;
}

/** Logins the server saw since `from`, told apart by what the session did (a sync lists folders). */
function loginsSince(from: number) {
  const sessions = new Map<number, string[]>();
  for (const c of h.proxy.commands) sessions.set(c.session, [...(sessions.get(c.session) ?? []), c.line]);
  const logins = h.proxy.logins.filter((l) => l.at >= from);
  const sync = logins.filter((l) => sessions.get(l.session)?.some((line) => /^LIST .*RETURN \(STATUS/i.test(line)));
  return { all: logins, sync, watcher: logins.length - sync.length };
}

describe("IDLE watcher under fire", () => {
  test("BYE a moment into every IDLE: reconnects with back-off, logins stay within six a minute", async () => {
    h.proxy.set({ bye: { command: /^IDLE\b/i, afterMs: 200, afterLines: 10_000, text: "Server restarting" } });
    const from = clock.now();
    const w = await startWatcher();
    await new Promise((resolve) => setTimeout(resolve, 14_000));
    const seen = loginsSince(from);
    const firstMinute = seen.all.filter((l) => l.at < from + 60_000).length;
    const perMinute = maxInWindow(seen.all.map((l) => l.at), 60_000);
    const minutes = (clock.now() - from) / 60_000;
    console.log(
      `BYE in IDLE over ${minutes.toFixed(1)} policy minutes: ${seen.all.length} logins (${seen.watcher} watcher, ${seen.sync.length} sync), ${firstMinute} in the first minute, at most ${perMinute} in any minute; ` +
        `folders ${JSON.stringify(w.status(h.account.id)?.folders.map((f) => [f.path, f.state, f.lastError]))}`,
    );
    // It kept trying (both folders reconnected) …
    expect(seen.watcher).toBeGreaterThanOrEqual(3);
    // … within the account's cap, catch-up sync sessions included. The cap counts when a login is
    // granted and the server sees it a connect later (seconds on this clock, more on a loaded
    // machine), so only a window that starts before the first grant is exact; a sliding one may
    // catch a late login or two of the previous minute.
    expect(firstMinute).toBeLessThanOrEqual(6);
    expect(perMinute).toBeLessThanOrEqual(8);
    expect(seen.sync.length).toBeGreaterThanOrEqual(1);
    expect(w.status(h.account.id)!.folders.every((f) => f.logins >= 2)).toBe(true);
  });

  test("silent after '+ idling' (a dead peer): detected within two socket timeouts, reconnected, mail still arrives once it behaves", async () => {
    h.proxy.set({ stall: { command: /^IDLE\b/i, afterLines: 1 } });
    const from = clock.now();
    const started = Date.now();
    const w = await startWatcher();
    const inbox = () => w.status(h.account.id)?.folders.find((f) => f.path === "INBOX");
    await until(() => (inbox()?.logins ?? 0) >= 2, 10_000, "INBOX watch reconnected after the silent IDLE");
    const detectedMs = Date.now() - started;
    console.log(`silent IDLE: reconnected after ${detectedMs} ms real (socket timeout ${SHORT_TIMEOUTS.socketMs} ms); last error: ${inbox()?.lastError}`);
    expect(detectedMs).toBeLessThan(2 * SHORT_TIMEOUTS.socketMs + 3_000);
    expect(inbox()!.lastError).toMatch(/timeout|closed|Connection/i);

    h.proxy.set({});
    await until(() => inbox()?.state === "idle" && inbox()!.lastError === null, 15_000, "INBOX idle again");
    const before = await countMessages(h.db, h.account.id);
    await h.seed.append("INBOX", buildMessage({ subject: "After the silence" }));
    await until(async () => (await countMessages(h.db, h.account.id)) > before, 15_000, "new mail stored through IDLE");
    expect(maxInWindow(loginsSince(from).all.map((l) => l.at), 60_000)).toBeLessThanOrEqual(6);
  });

  test("logins throttled ([THROTTLED]): the watcher waits the server's minute, not its own second", async () => {
    h.proxy.set({ refuse: { command: /^(LOGIN|AUTHENTICATE)\b/i, reply: "NO [THROTTLED] Too many logins" } });
    const from = clock.now();
    const w = await startWatcher();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const seen = loginsSince(from);
    const minutes = (clock.now() - from) / 60_000;
    console.log(`throttled watcher logins over ${minutes.toFixed(1)} policy minutes: ${seen.all.length}; folders ${JSON.stringify(w.status(h.account.id)?.folders.map((f) => [f.path, f.state, f.lastError]))}`);
    // One attempt per folder, then a minute's wait each (the default when the server names no time).
    expect(seen.all.length).toBeLessThanOrEqual(2 * Math.ceil(minutes));
    expect(w.status(h.account.id)!.folders.every((f) => /throttling/i.test(f.lastError ?? ""))).toBe(true);
    expect((await h.accountRow()).status).toBe("active");
  });
});
