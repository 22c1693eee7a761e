import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import * as t from "@/db/schema";
import { createSyncAccountFunction } from "@/inngest/functions/sync-account";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { createServeHandler } from "@/inngest/serve";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { defaultRetryDelay } from "@/lib/jobs/in-process/clock";
import { setEventDelivery } from "@/lib/jobs/in-process/event-delivery";
import { InProcessRunner } from "@/lib/jobs/in-process/in-process-runner";
import { createRunSyncStep } from "@/lib/jobs/run-account-sync-step";
import { failureBackoffMs } from "@/lib/jobs/sync-policy";
import { type DovecotServer, startDovecot } from "../support/dovecot";
import { type FaultPlan, type FaultProxy, mulberry32, startFaultProxy } from "../support/fault-proxy";
import { openSeedClient } from "../support/mail-seed";
import { type TestDatabase, createTestDatabase } from "../support/test-database";
import { expectExact, insertAccountFor, mutateServer, reliabilityUsers, seedMailbox, sleep } from "./reliability-support";

// Issue 7, connection faults: a seeded TCP proxy between the sync and Dovecot cuts connections at
// random byte offsets (mid-greeting, mid-login, mid-FETCH, mid-commit) during a several-batch initial
// sync and an incremental one. The sync runs the production way: the app's sync-account function
// driven by the in-process job runner, with its retries (Inngest-like back-off, defaultRetryDelay,
// scaled 1/100 here) and, when a run exhausts them, the account back-off (failureBackoffMs, scaled
// 1/6000) before the next request. Every run must end with exactly the server's mail.
//
// Reproduce one seed: RELIABILITY_SEEDS=7003 npx vitest run --project postgres tests/reliability/connection-faults.test.ts

const SEEDS = process.env.RELIABILITY_SEEDS ? process.env.RELIABILITY_SEEDS.split(",").map(Number) : Array.from({ length: 20 }, (_, i) => 7001 + i);
// ~150 messages of 0.3–5 KB (~400 KB): several steps of at most 60 messages, each in batches.
const SHAPE = { INBOX: 80, Archive: 30, Sent: 25, Projects: 15 };
const INITIAL_FAULTS: FaultPlan = { cutProbability: 0.6, cutAfterBytes: [500, 300_000], sliceProbability: 0.05, maxDelayMs: 2 };
const INCREMENTAL_FAULTS: FaultPlan = { cutProbability: 0.6, cutAfterBytes: [200, 40_000], sliceProbability: 0.05, maxDelayMs: 2 };
const RETRY_SCALE = 100;
const BACKOFF_SCALE = 6000;
const MAX_JOB_RUNS = 10;

let server: DovecotServer;
let database: TestDatabase;
let runner: InProcessRunner;
let proxy: FaultProxy | null = null;
const users = reliabilityUsers(SEEDS.length);
const stats: { seed: number; connections: number; cuts: number; jobRuns: number; failedJobRuns: number; ms: number }[] = [];

beforeAll(async () => {
  quietStepErrors();
  [server, database] = await Promise.all([startDovecot({ users }), createTestDatabase({ engine: "postgres" })]);
  SEEDS.forEach((seed, i) => seedMailbox(server, users[i]!, mulberry32(seed), seed, SHAPE));
  const syncAccountFunction = createSyncAccountFunction({
    db: database.db,
    runSyncStep: createRunSyncStep({
      // Through this seed's proxy; the stored host/port stay the real server's.
      connect: (account) => openAccountConnection({ ...account, imapHost: proxy!.host, imapPort: proxy!.port }, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }),
    }),
    budget: { maxMs: 20_000, maxMessages: 60 },
    intervalMs: 300_000,
  });
  runner = new InProcessRunner({
    handler: createServeHandler([syncAccountFunction]),
    retryDelay: (attempt) => Math.round(defaultRetryDelay(attempt) / RETRY_SCALE),
    historyLimit: 1000,
    logger: { info() {}, warn() {}, error() {} },
  });
  await runner.start({ schedule: false });
  setEventDelivery((events) => runner.send(events));
}, 120_000);

afterAll(async () => {
  setEventDelivery(null);
  await runner?.stop({ timeoutMs: 2000 });
  await proxy?.close();
  await Promise.all([server?.stop(), database?.close()]);
  if (stats.length) console.log(`connection faults: ${summarise()}`);
});

describe(`connection faults: ${SEEDS.length} seeded runs, initial + incremental sync through a proxy cutting at random bytes`, () => {
  test.each(SEEDS.map((seed, i) => [seed, i] as const))("seed %i", async (seed, i) => {
    const started = Date.now();
    const random = mulberry32(seed ^ 0x5eed);
    const user = users[i]!;
    const account = await insertAccountFor(database.db, server, user, `faults-${seed}`);
    const client = await openSeedClient(server, user);
    proxy = await startFaultProxy({ target: server, seed, plan: INITIAL_FAULTS });
    const runs = { jobRuns: 0, failedJobRuns: 0 };
    const phases: string[] = [];
    try {
      const mark = (label: string) => phases.push(`${label} ${Date.now() - started}`);
      await syncThroughFaults(account, runs);
      mark("initial");
      await expectExact(database.db, client, account.id);
      mark("check");

      await mutateServer(client, random, seed, { deleteFolder: "Projects" });
      mark("mutate");
      proxy.setPlan(INCREMENTAL_FAULTS);
      await syncThroughFaults(account, runs);
      mark("incremental");
      await expectExact(database.db, client, account.id);
      mark("check");
      if (process.env.RELIABILITY_VERBOSE) console.log(seed, phases.join(", "));
    } catch (error) {
      throw new Error(`seed ${seed} (reproduce with RELIABILITY_SEEDS=${seed}): ${(error as Error).message}`, { cause: error });
    } finally {
      stats.push({ seed, connections: proxy.connections, cuts: proxy.cuts, ...runs, ms: Date.now() - started });
      await proxy.close();
      proxy = null;
      await client.logout().catch(() => client.close());
    }
  });

  test("the faults were real: connections were cut, attempts retried, runs backed off", () => {
    const cuts = stats.reduce((n, s) => n + s.cuts, 0);
    expect(cuts).toBeGreaterThanOrEqual(SEEDS.length);
    // Each sync pass opens one connection: more connections than job runs means retries happened.
    expect(stats.reduce((n, s) => n + s.connections - s.jobRuns, 0)).toBeGreaterThan(SEEDS.length);
  });
});

/** Requests syncs until one job run completes, backing off between runs that failed for good. */
async function syncThroughFaults(account: typeof t.mailAccounts.$inferSelect, runs: { jobRuns: number; failedJobRuns: number }) {
  for (let n = 1; n <= MAX_JOB_RUNS; n++) {
    const requested = await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "manual" }, database.db);
    expect(requested.requested, `sync request refused: account is ${requested.status}`).toBe(true);
    await runner.whenIdle();
    runs.jobRuns++;
    const run = runner.runs({ functionId: "sync-account", where: (r) => r.event.data.accountId === account.id }).at(-1)!;
    if (run.status === "completed") {
      expect(run.output, "the run synced").toMatchObject({ complete: true });
      return;
    }
    expect(run.status).toBe("failed");
    runs.failedJobRuns++;
    // The job recorded the failure and scheduled the account's next try with the back-off policy.
    const [row] = await database.db.select().from(t.mailAccounts).where(eq(t.mailAccounts.id, account.id));
    expect(row!.consecutiveFailures).toBeGreaterThan(0);
    expect(row!.statusReason).toBeTruthy();
    const backoff = failureBackoffMs(row!.consecutiveFailures, () => 0.5);
    const scheduledIn = row!.nextSyncAt!.getTime() - Date.now();
    expect(scheduledIn).toBeGreaterThan(backoff * 0.85);
    expect(scheduledIn).toBeLessThan(backoff * 1.15);
    await sleep(backoff / BACKOFF_SCALE);
  }
  throw new Error(`no job run completed in ${MAX_JOB_RUNS} tries`);
}

// Each cut is logged by the Inngest SDK as "Inngest step error" plus the error: expected here, by the
// dozen. Everything else still reaches the console.
function quietStepErrors() {
  const error = console.error.bind(console);
  let skipNext = false;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (args[0] === "Inngest step error") {
      skipNext = true;
      return;
    }
    if (skipNext && args[0] instanceof Error) {
      skipNext = false;
      return;
    }
    skipNext = false;
    error(...args);
  });
}

function summarise() {
  const sum = (k: "connections" | "cuts" | "jobRuns" | "failedJobRuns" | "ms") => stats.reduce((n, s) => n + s[k], 0);
  return `${stats.length} seeds, ${sum("connections")} connections, ${sum("cuts")} cut, ${sum("jobRuns")} job runs (${sum("failedJobRuns")} failed for good and backed off), ${(sum("ms") / 1000).toFixed(1)} s`;
}
