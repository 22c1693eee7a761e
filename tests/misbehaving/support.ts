import { eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import { mailAccounts, syncRuns } from "@/db/schema";
import { createScheduleSyncsFunction } from "@/inngest/functions/schedule-syncs";
import { createSyncAccountFunction } from "@/inngest/functions/sync-account";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { createServeHandler } from "@/inngest/serve";
import type { ImapTimeouts } from "@/lib/imap/connect-imap";
import { type MailAccountRow, openAccountConnection } from "@/lib/imap/open-account-connection";
import type { SyncReason } from "@/lib/jobs/events";
import type { RunnerClock } from "@/lib/jobs/in-process/clock";
import { setEventDelivery } from "@/lib/jobs/in-process/event-delivery";
import { InProcessRunner } from "@/lib/jobs/in-process/in-process-runner";
import { createRunSyncStep } from "@/lib/jobs/run-account-sync-step";
import { type MisbehavingImap, startMisbehavingImap } from "@/tests/support/misbehaving-imap";
import { type SyncHarness, startSyncHarness } from "@/tests/sync/sync-harness";

// Production timeouts are minutes (lib/imap/connect-imap.ts DEFAULT_TIMEOUTS); the same code paths
// with second-long ones keep these tests fast.
export const SHORT_TIMEOUTS: Required<ImapTimeouts> = { connectMs: 1_000, greetingMs: 600, socketMs: 800, commandMs: 600 };

export type UnderFire = SyncHarness & {
  proxy: MisbehavingImap;
  // The account's connection as the jobs open it (stored credentials, host check), short timeouts.
  connect(account: MailAccountRow): ReturnType<typeof openAccountConnection>;
  accountRow(): Promise<MailAccountRow>;
  lastRun(): Promise<typeof syncRuns.$inferSelect>;
  runCount(): Promise<number>;
};

/** Dovecot + Postgres + an account whose server is reached through the misbehaving proxy. */
export async function startUnderFire(options: { timeouts?: Required<ImapTimeouts>; now?: () => number } = {}): Promise<UnderFire> {
  const timeouts = options.timeouts ?? SHORT_TIMEOUTS;
  const h = await startSyncHarness();
  const proxy = await startMisbehavingImap({ host: h.server.host, port: h.server.port }, {}, { now: options.now });
  await h.db.update(mailAccounts).set({ imapHost: proxy.host, imapPort: proxy.port }).where(eq(mailAccounts.id, h.account.id));
  const close = h.close;
  return {
    ...h,
    proxy,
    connect: (account) => openAccountConnection(account, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" }, timeouts }),
    async accountRow() {
      const [row] = await h.db.select().from(mailAccounts).where(eq(mailAccounts.id, h.account.id));
      return row!;
    },
    async lastRun() {
      const [row] = await h.db.select().from(syncRuns).where(eq(syncRuns.accountId, h.account.id)).orderBy(sql`${syncRuns.startedAt} desc`).limit(1);
      return row!;
    },
    async runCount() {
      const rows = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from sync_runs where account_id = ${h.account.id}`);
      return Number(rows[0]!.n);
    },
    async close() {
      await proxy.close();
      await close();
    },
  };
}

export type TestJobs = {
  runner: InProcessRunner;
  // Sends the account's sync request the way the app does, and waits until every run is done.
  syncNow(reason?: SyncReason): Promise<number>;
  stop(): Promise<void>;
};

/**
 * The production sync-account and schedule functions over the test database, run by the in-process
 * runner; the sync step is the production one with the short-timeout connection.
 */
export async function startJobs(h: UnderFire, options: { clock?: RunnerClock; retryDelay?: (attempt: number) => number; retries?: 0 | 1 | 2 | 3 | 4 } = {}): Promise<TestJobs> {
  const intervalMs = 300_000;
  const functions = [
    createSyncAccountFunction({ db: h.db, runSyncStep: createRunSyncStep({ connect: h.connect }), intervalMs, ...(options.retries !== undefined ? { retries: options.retries } : {}) }),
    createScheduleSyncsFunction({ db: h.db, intervalMs }),
  ];
  const runner = new InProcessRunner({
    handler: createServeHandler(functions),
    clock: options.clock,
    retryDelay: options.retryDelay ?? (() => 50),
    logger: { info() {}, warn() {}, error() {} },
  });
  await runner.start({ schedule: false });
  setEventDelivery((events) => runner.send(events));
  return {
    runner,
    async syncNow(reason = "manual") {
      const started = Date.now();
      await requestAccountSync({ orgId: h.account.orgId, accountId: h.account.id, reason }, h.db);
      await runner.whenIdle();
      return Date.now() - started;
    },
    async stop() {
      setEventDelivery(null);
      await runner.stop({ timeoutMs: 2_000 });
    },
  };
}

/** A clock whose sleeps return at once but are recorded: the delays the policy chose, not waited. */
export function recordingClock(): RunnerClock & { sleeps: number[]; elapsed(): number } {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + offset,
    elapsed: () => offset,
    sleep: async (ms) => {
      sleeps.push(ms);
      offset += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

export function secondsUntil(date: Date | null): number | null {
  return date ? Math.round((date.getTime() - Date.now()) / 1000) : null;
}

/**
 * Real time run `factor` times faster: sleeps really wait (ms / factor), so concurrent sleepers and
 * I/O interleave as they would, and "per minute" is measured on the time the policy sees. I/O takes
 * `factor` times longer on this clock than it would, which only makes rates look lower by that
 * share of I/O time (small next to back-offs of seconds).
 */
export function fastClock(factor: number): RunnerClock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * factor,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const timer = setTimeout(done, Math.max(0, ms) / factor);
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        }
        signal?.addEventListener("abort", done, { once: true });
      }),
  };
}

export function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (const t of times) best = Math.max(best, times.filter((u) => u >= t && u < t + windowMs).length);
  return best;
}
