import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { appendMessages } from "@/tests/support/mail-seed";
import { countMessages, countOrphans, expectInSync } from "@/tests/sync/sync-harness";
import { SHORT_TIMEOUTS, type TestJobs, type UnderFire, startJobs, startUnderFire } from "./support";

// A slow server, a server that stops answering for good, and one that says BYE in the middle of a
// response, each in front of the real Dovecot, each met by the production path: a sync request, the
// sync-account function run by the in-process runner (with its retries), the sync core.

let h: UnderFire;
let jobs: TestJobs;

beforeAll(async () => {
  h = await startUnderFire();
  await appendMessages(h.seed, "INBOX", Array.from({ length: 30 }, (_, i) => ({ subject: `Under fire ${i}`, size: 1500 })));
  await appendMessages(h.seed, "Sent", [{ subject: "Sent under fire" }]);
  jobs = await startJobs(h);
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await h?.close();
});

describe("misbehaving servers: slow, stalled, BYE", () => {
  test("slow responses (25 ms on every chunk) still complete, and completely", async () => {
    h.proxy.set({ latencyMs: 25 });
    const ms = await jobs.syncNow("manual");
    console.log(`initial sync through 25 ms/chunk latency: ${ms} ms, ${h.proxy.commands.length} commands`);
    expect(await h.accountRow()).toMatchObject({ status: "active", consecutiveFailures: 0, statusReason: null });
    await expectInSync(h);
    // Every answer came late, none timed out (the command timeout is per answer, not per pass).
    expect(ms).toBeGreaterThan(h.proxy.commands.length * 25);
  });

  test("a server that stops answering mid-FETCH: every attempt ends within the command timeout, the account says why", async () => {
    await appendMessages(h.seed, "INBOX", Array.from({ length: 5 }, (_, i) => ({ subject: `Stalled ${i}` })));
    h.proxy.set({ stall: { command: /^UID FETCH/i } });
    const loginsBefore = h.proxy.logins.length;
    const ms = await jobs.syncNow("manual");
    const attempts = h.proxy.logins.length - loginsBefore;
    console.log(`stalled FETCH: run failed after ${ms} ms, ${attempts} attempts (command timeout ${SHORT_TIMEOUTS.commandMs} ms)`);
    // The function's 4 retries, each cut off by the command timeout instead of hanging.
    expect(attempts).toBe(5);
    expect(ms).toBeLessThan(attempts * (SHORT_TIMEOUTS.commandMs + 1_500));
    const row = await h.accountRow();
    expect(row.status).toBe("error");
    expect(row.statusReason).toMatch(new RegExp(`UID FETCH .*no answer within ${SHORT_TIMEOUTS.commandMs} ms`));
    expect(row.consecutiveFailures).toBeGreaterThanOrEqual(3);
    // Backed off (≥ 1 min), not due again at once.
    expect(row.nextSyncAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
    expect(await h.lastRun()).toMatchObject({ outcome: "failed", errorKind: "timeout" });
    // The stalled sessions were closed, not left hanging.
    expect(h.proxy.openSessions()).toBeLessThanOrEqual(1);

    h.proxy.set({});
    await jobs.syncNow("manual");
    expect(await h.accountRow()).toMatchObject({ status: "active", consecutiveFailures: 0, statusReason: null });
    await expectInSync(h);
  });

  test("a server that never answers LOGIN, or never greets: bounded by the socket and greeting timeouts", async () => {
    for (const [stall, limit, kind] of [
      [{ command: /^(LOGIN|AUTHENTICATE)/i }, SHORT_TIMEOUTS.socketMs, /Socket timeout/],
      [{ commands: 0 }, SHORT_TIMEOUTS.greetingMs, /greeting/i],
    ] as const) {
      h.proxy.set({ stall });
      const sessionsBefore = h.proxy.sessionCount;
      const ms = await jobs.syncNow("manual");
      const attempts = h.proxy.sessionCount - sessionsBefore;
      console.log(`stall ${JSON.stringify(stall)}: run failed after ${ms} ms over ${attempts} attempts`);
      expect(attempts).toBe(5);
      expect(ms).toBeLessThan(attempts * (limit + 1_000));
      const row = await h.accountRow();
      expect(row.status).toBe("error");
      expect(row.statusReason).toMatch(kind);
      expect(await h.lastRun()).toMatchObject({ outcome: "failed", errorKind: "timeout" });
    }
    h.proxy.set({});
    await jobs.syncNow("manual");
    expect(await h.accountRow()).toMatchObject({ status: "active", consecutiveFailures: 0 });
  });

  test("BYE early in every FETCH response: no hang, a network error on the account, nothing half-stored", async () => {
    await appendMessages(h.seed, "INBOX", Array.from({ length: 120 }, (_, i) => ({ subject: `Interrupted ${i}` })));
    h.proxy.set({ bye: { command: /^UID FETCH/i, afterLines: 4, text: "Server shutting down" } });
    const before = await countMessages(h.db, h.account.id);
    const ms = await jobs.syncNow("manual");
    const row = await h.accountRow();
    const after = await countMessages(h.db, h.account.id);
    console.log(`BYE after 4 FETCH responses: run failed after ${ms} ms; ${after - before} of 120 new messages stored`);
    expect(row.status).toBe("error");
    expect(row.statusReason).toMatch(/Connection .*BYE: Server shutting down/i);
    expect(await h.lastRun()).toMatchObject({ outcome: "failed", errorKind: "network" });
    // The few messages that arrive whole before each BYE are kept (lib/sync/sync-chunk.ts), so even
    // such a server lets the backlog advance, at most 4 messages an attempt, none twice; the account
    // shows the error and backs off.
    expect(after - before).toBeGreaterThan(0);
    expect(after - before).toBeLessThanOrEqual(5 * 4);
    expect(await duplicateKeys(h)).toBe(0);
    expect(await countOrphans(h.db, h.account.id)).toBe(0);
  });

  test("BYE after 60 FETCH responses, every time: each attempt keeps its committed batches, nothing twice", async () => {
    h.proxy.set({ bye: { command: /^UID FETCH/i, afterLines: 60, text: "Server shutting down" } });
    const before = await countMessages(h.db, h.account.id);
    const loginsBefore = h.proxy.logins.length;
    const ms = await jobs.syncNow("manual");
    const attempts = h.proxy.logins.length - loginsBefore;
    const stored = (await countMessages(h.db, h.account.id)) - before;
    const row = await h.accountRow();
    console.log(`BYE after 60 FETCH responses: run ${ms} ms, ${attempts} attempts, ${stored} of 120 stored, account ${row.status}: ${row.statusReason}`);
    expect(attempts).toBeLessThanOrEqual(5);
    // The 60 messages that arrive whole before each BYE are kept, so the backlog advances attempt
    // by attempt.
    expect(stored).toBeGreaterThanOrEqual(60);
    if (stored < 120) expect(row).toMatchObject({ status: "error", statusReason: expect.stringMatching(/Connection/) });
    expect(await duplicateKeys(h)).toBe(0);
    expect(await countOrphans(h.db, h.account.id)).toBe(0);

    h.proxy.set({});
    await jobs.syncNow("manual");
    expect(await h.accountRow()).toMatchObject({ status: "active", consecutiveFailures: 0, statusReason: null });
    await expectInSync(h);
  });
});

async function duplicateKeys(h: UnderFire): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    h.db,
    sql`select count(*)::int as n from (select m.dedupe_key from messages m where m.account_id = ${h.account.id} group by m.dedupe_key having count(*) > 1) d`,
  );
  return Number(rows[0]!.n);
}
