import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { type Database, connect } from "@/db/connect";
import * as t from "@/db/schema";
import { createSyncAccountFunction } from "@/inngest/functions/sync-account";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { createServeHandler } from "@/inngest/serve";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { setEventDelivery } from "@/lib/jobs/in-process/event-delivery";
import { InProcessRunner } from "@/lib/jobs/in-process/in-process-runner";
import { defaultRetryDelay } from "@/lib/jobs/in-process/clock";
import { recordSyncFailure } from "@/lib/jobs/record-sync-failure";
import { createRunSyncStep } from "@/lib/jobs/run-account-sync-step";
import { classifySyncFailure } from "@/lib/jobs/sync-failure";
import { syncAccount } from "@/lib/sync/sync-account";
import type { SyncSummary } from "@/lib/sync/types";
import { type DovecotServer, startDovecot } from "../support/dovecot";
import { mulberry32, startFaultProxy } from "../support/fault-proxy";
import { openSeedClient } from "../support/mail-seed";
import { type PostgresCluster, findPostgresBin, startPostgres } from "../support/postgres";
import { expectExact, insertAccountFor, reliabilityUsers, seedMailbox } from "./reliability-support";

// Issue 7, database faults: Postgres restarted in the middle of a sync. The database is this file's
// own throwaway cluster (restarting the run's shared one would break every other test file).
// The pass must end — no hang, no unhandled rejection — with a readable failure the job layer
// classifies as transient and records; the retry after Postgres is back completes and the database
// holds exactly the server's mail.

const SHAPE = { INBOX: 60, Archive: 25, Sent: 15 };
const LIMITS = { batchMessages: 8, fetchChunk: 30 };
const users = reliabilityUsers(4);
// What a database outage reads like once the driver's reason is surfaced.
const READABLE = /terminat|connect|closed|ECONNREFUSED|ECONNRESET|shutting down|starting up|administrator/i;

let cluster: PostgresCluster;
let connection: ReturnType<typeof connect>;
let db: Database;
let server: DovecotServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  [cluster, server] = await Promise.all([startPostgres(), startDovecot({ users })]);
  const admin = postgres(cluster.url("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe("CREATE DATABASE threadline");
  await admin.end({ timeout: 5 });
  connection = connect({ ...process.env, DATABASE_URL: cluster.url("threadline") });
  await connection.migrate();
  db = connection.db;
  users.forEach((user, i) => seedMailbox(server, user, mulberry32(500 + i), 500 + i, SHAPE));
}, 120_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await connection?.close().catch(() => {});
  await Promise.all([cluster?.stop(), server?.stop()]);
});

describe("Postgres restarted mid-sync (own cluster)", () => {
  test.each([
    ["fast", 0],
    ["immediate", 1],
  ] as const)("pg_ctl stop -m %s + start mid-pass: the pass fails readably, the failure is recorded, the retry completes exactly", async (mode, i) => {
    const user = users[i]!;
    const account = await insertAccountFor(db, server, user, `pg-${mode}`);
    const client = await openSeedClient(server, user);
    try {
      let commits = 0;
      let restart: Promise<void> | null = null;
      const outcome = await settleWithin(
        syncAccount({
          db,
          account: account.id,
          limits: LIMITS,
          connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }),
          onProgress: () => {
            if (++commits === 3) restart = restartPostgres(mode);
          },
        }),
        30_000,
      );
      await restart;
      expect(commits).toBeGreaterThanOrEqual(3);

      // A readable failure: either the summary carries it (the run row could be closed) or the
      // pass rejects with the database's own error (Postgres was still down to record it).
      const error = outcome.ok ? outcome.value.error : outcome.error;
      if (outcome.ok) expect(outcome.value.outcome).not.toBe("success");
      const failure = classifySyncFailure(outcome.ok ? { message: outcome.value.error!.message } : outcome.error);
      expect(failure.kind).toBe("transient");
      expect(failure.message).toMatch(READABLE);
      expect(failure.message).not.toMatch(/params:/);
      expect(error).toBeTruthy();

      // The job's failure path, once the database answers again.
      await untilDatabaseAnswers(db);
      await recordSyncFailure(db, { accountId: account.id, failure: { ...failure, recorded: outcome.ok } });
      const [failed] = await db.select().from(t.mailAccounts).where(eq(t.mailAccounts.id, account.id));
      expect(failed!.consecutiveFailures).toBe(1);
      expect(failed!.statusReason).toBe(failure.message.slice(0, 1000));
      expect(failed!.nextSyncAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);
      // The interrupted pass's run row is closed, by the pass itself or by the failure path.
      const interrupted = await db.select().from(t.syncRuns).where(eq(t.syncRuns.accountId, account.id));
      expect(interrupted.map((r) => r.outcome)).not.toContain("running");
      expect(interrupted.find((r) => r.outcome !== "success")?.error).toMatch(READABLE);

      // The retry completes; nothing committed before the restart is lost or duplicated. Retried as
      // the job does (defaultRetryDelay: 1 s, 2 s …): a pooled connection from before the restart
      // may fail once more before it reconnects.
      const passes: SyncSummary[] = [];
      for (let attempt = 0; attempt < 4 && passes.at(-1)?.outcome !== "success"; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, defaultRetryDelay(attempt - 1)));
        passes.push(await syncAccount({ db, account: account.id, limits: LIMITS, connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }) }));
      }
      expect(passes.at(-1)!.outcome, JSON.stringify(passes.map((p) => p.error))).toBe("success");
      for (const pass of passes.slice(0, -1)) expect(pass.error!.message).toMatch(READABLE);
      await expectExact(db, client, account.id);
      const [after] = await db.select().from(t.mailAccounts).where(eq(t.mailAccounts.id, account.id));
      expect(after).toMatchObject({ status: "active", consecutiveFailures: 0, statusReason: null });
      // The dashboard reads the newest run: it is the successful one. (A retry that could not reach the
      // database to close its own run row leaves it "running" until the job's failure path or
      // beginAccountSync closes it.)
      const runs = await db.select().from(t.syncRuns).where(eq(t.syncRuns.accountId, account.id)).orderBy(desc(t.syncRuns.startedAt));
      expect(runs[0]!.outcome).toBe("success");
      expect(unhandled).toEqual([]);
    } finally {
      await client.logout().catch(() => client.close());
    }
  });

  test("through the sync-account job: Postgres stopped (-m immediate) and started mid-step; the job retries and the run completes", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const user = users[2]!;
    const account = await insertAccountFor(db, server, user, "pg-job");
    const client = await openSeedClient(server, user);
    let steps = 0;
    let stepFailures = 0;
    let restart: Promise<void> | null = null;
    // IMAP goes through a (fault-free) proxy whose byte count says when the second step is mid-FETCH.
    const proxy = await startFaultProxy({ target: server, seed: 1 });
    const runSyncStep = createRunSyncStep({
      connect: (a) => openAccountConnection({ ...a, imapHost: proxy.host, imapPort: proxy.port }, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }),
    });
    const runner = new InProcessRunner({
      handler: createServeHandler([
        createSyncAccountFunction({
          db,
          // Restart Postgres while the second step's pass is fetching.
          runSyncStep: async (input) => {
            if (++steps === 2) {
              const from = proxy.bytes;
              proxy.onBytes((total) => {
                if (restart || total - from < 20_000) return;
                restart = restartPostgres("immediate");
                proxy.onBytes(null);
              });
            }
            try {
              return await runSyncStep(input);
            } catch (error) {
              stepFailures++;
              throw error;
            }
          },
          budget: { maxMs: 20_000, maxMessages: 30 },
          intervalMs: 300_000,
        }),
      ]),
      // The production schedule (1 s, 2 s, 4 s …) is what lets Postgres come back between attempts.
      logger: { info() {}, warn() {}, error() {} },
    });
    await runner.start({ schedule: false });
    setEventDelivery((events) => runner.send(events));
    try {
      await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "manual" }, db);
      await settleWithin(runner.whenIdle(), 60_000);
      await restart;
      expect(restart, "Postgres was restarted during the second step").not.toBeNull();
      // The restart failed a sync step (retried by the job), not just a bookkeeping step.
      expect(stepFailures).toBeGreaterThanOrEqual(1);
      const run = runner.runs({ functionId: "sync-account" }).at(-1)!;
      expect(run, JSON.stringify(run.error)).toMatchObject({ status: "completed", output: { complete: true } });
      await expectExact(db, client, account.id);
      expect(unhandled).toEqual([]);
    } finally {
      setEventDelivery(null);
      await runner.stop({ timeoutMs: 2000 });
      await proxy.close();
      quiet.mockRestore();
      await client.logout().catch(() => client.close());
    }
  });
});

/**
 * Restarts this file's cluster: `pg_ctl stop` runs synchronously, so the pass cannot finish before
 * Postgres is gone, whatever the machine's speed; the start runs in the background ~200 ms later
 * (as `pg_ctl restart` would), so the pass meets a database that is down, then back.
 */
function restartPostgres(mode: "fast" | "immediate"): Promise<void> {
  const dataDir = path.join(cluster.dir, "data");
  const stop = spawnSync(...pgCtl(["-D", dataDir, "-m", mode, "-w", "-t", "60", "stop"]), { cwd: "/tmp", encoding: "utf8" });
  if (stop.status !== 0) return Promise.reject(new Error(`pg_ctl stop failed: ${stop.stderr}`));
  const options = `-c listen_addresses=127.0.0.1 -p ${cluster.port} -k ${cluster.dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  const start = pgCtl(["-D", dataDir, "-l", path.join(cluster.dir, "postgres.log"), "-w", "-t", "60", "-o", options, "start"]);
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      const child = spawn(start[0], start[1], { cwd: "/tmp", stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl start failed (${code}): ${stderr}`))));
    }, 200);
  });
}

function pgCtl(args: string[]): [string, string[]] {
  const bin = path.join(findPostgresBin(), "pg_ctl");
  // initdb/pg_ctl refuse root: the cluster runs as `postgres` (see tests/support/postgres.ts).
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
}

async function untilDatabaseAnswers(database: Database) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await database.select({ id: t.organizations.id }).from(t.organizations).limit(1);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** The promise's outcome, or a test failure if it neither resolves nor rejects in time (a hang). */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms: a hang`)), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })), hang]);
  } finally {
    clearTimeout(timer);
  }
}
