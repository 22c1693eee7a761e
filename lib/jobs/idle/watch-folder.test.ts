import { describe, expect, test } from "vitest";
import { ImapError } from "@/lib/imap/imap-error";
import type { RunnerClock } from "../in-process/clock";
import { LoginLimiter } from "./login-limiter";
import { FolderWatch } from "./watch-folder";

describe("FolderWatch reconnection", () => {
  test("backs off exponentially between failed connections, within the account's login cap", async () => {
    const { watch, attempts, gaps } = await failedLogins({ logins: 12, perMinute: 3, error: new ImapError("network", "Connection failed: ECONNREFUSED", { code: "ECONNREFUSED" }) });
    // Back-off doubles (±20 % jitter) up to its cap…
    expect(gaps[0]).toBeGreaterThanOrEqual(800);
    expect(gaps[0]).toBeLessThanOrEqual(1_200);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_600);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
    // …and no minute ever sees more than three logins.
    for (const t of attempts) expect(attempts.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(3);
    expect(watch.state).toBe("connecting");
    expect(watch.lastError).toMatch(/ECONNREFUSED/);
    void watch.stop();
  });

  test("a throttled login waits the server's delay, not the shorter back-off", async () => {
    const throttled = new ImapError("throttled", "Request is throttled. Suggested Backoff Time: 15000 milliseconds", { retryAfterMs: 15_000 });
    const { watch, gaps } = await failedLogins({ logins: 4, perMinute: 6, error: throttled });
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(15_000);
    void watch.stop();
  });

  test("an auth failure ends the watch at once", async () => {
    const clock = fakeClock();
    let logins = 0;
    const failures: string[] = [];
    const watch = new FolderWatch({
      accountId: "a",
      path: "INBOX",
      connect: async () => {
        logins++;
        throw new ImapError("auth", "Authentication failed: bad password");
      },
      limiter: new LoginLimiter(6, clock),
      onChange: () => {},
      onAuthFailure: (error) => failures.push(error.message),
      renewMs: 60_000,
      backoff: { initialMs: 1_000, maxMs: 30_000 },
      clock,
    });
    watch.start();
    while (watch.state !== "stopped") await new Promise((resolve) => setImmediate(resolve));
    expect(logins).toBe(1);
    expect(failures).toEqual(["Authentication failed: bad password"]);
    expect(watch.state).toBe("stopped");
  });
});

function fakeClock(): RunnerClock {
  let now = Date.UTC(2026, 0, 1);
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return;
      now += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}


/** A watch whose first `logins` - 1 logins fail with `error` (the last one hangs): when each was tried, and the gaps. */
async function failedLogins(input: { logins: number; perMinute: number; error: ImapError }) {
  const clock = fakeClock();
  const attempts: number[] = [];
  const watch = new FolderWatch({
    accountId: "a",
    path: "INBOX",
    connect: async () => {
      attempts.push(clock.now());
      if (attempts.length >= input.logins) await new Promise(() => {});
      throw input.error;
    },
    limiter: new LoginLimiter(input.perMinute, clock),
    onChange: () => {},
    onAuthFailure: () => {},
    renewMs: 60_000,
    backoff: { initialMs: 1_000, maxMs: 30_000 },
    clock,
  });
  watch.start();
  while (attempts.length < input.logins) await new Promise((resolve) => setImmediate(resolve));
  return { watch, attempts, gaps: attempts.slice(1).map((t, i) => t - attempts[i]!) };
}
