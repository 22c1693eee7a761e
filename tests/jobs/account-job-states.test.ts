import { afterAll, beforeAll, expect, test } from "vitest";
import { syncRuns } from "@/db/schema";
import { createJobFunctions } from "@/inngest/functions";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { createServeHandler } from "@/inngest/serve";
import { getAccountJobStates } from "@/lib/jobs/get-account-job-states";
import { type JobRuntime, startJobRuntime } from "@/lib/jobs/start-job-runtime";
import { insertMailAccount, insertOrganization } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";
import { until } from "./support/in-process-jobs";

const database = fileTestDatabase();
let runtime: JobRuntime;
let release: () => void = () => {};
let entered = false;
// Only this account's step blocks: a scheduled sync of another account (the cron may tick during the
// test) must not take the one release and leave the runner busy for ever.
let blockedAccountId: string | null = null;

beforeAll(async () => {
  const db = database.db;
  runtime = await startJobRuntime({
    role: "app",
    db,
    handler: createServeHandler(
      createJobFunctions({
        db,
        runSyncStep: async ({ accountId }) => {
          if (accountId !== blockedAccountId || entered) return { done: true };
          entered = true;
          await new Promise<void>((resolve) => (release = resolve));
          return { done: true };
        },
      }),
    ),
    requestSync: async () => {},
    env: { ...process.env, DATABASE_URL: "", THREADLINE_IDLE_WATCHER: "0" },
    logger: { info() {}, warn() {}, error() {} },
  });
});
afterAll(async () => {
  release();
  await runtime?.stop();
});

test("running, last run, next run and last error per account, one organisation at a time", async () => {
  const db = database.db;
  const org = await insertOrganization(db);
  const other = await insertOrganization(db);
  const syncing = await insertMailAccount(db, org.id, { status: "active", nextSyncAt: new Date(Date.now() + 3_600_000) });
  const broken = await insertMailAccount(db, org.id, {
    status: "reconnect_needed",
    statusReason: "Authentication failed: bad password",
    lastErrorAt: new Date("2026-11-01T10:00:00Z"),
    consecutiveFailures: 1,
    nextSyncAt: null,
  });
  await insertMailAccount(db, other.id, { status: "active" });
  await db.insert(syncRuns).values({
    orgId: org.id,
    accountId: broken.id,
    trigger: "schedule",
    startedAt: new Date("2026-11-01T10:00:00Z"),
    finishedAt: new Date("2026-11-01T10:00:01Z"),
    outcome: "failed",
    errorKind: "auth",
    error: "Authentication failed: bad password",
  });

  blockedAccountId = syncing.id;
  await requestAccountSync({ orgId: org.id, accountId: syncing.id, reason: "manual" }, db);
  await until(() => entered, 10_000, "sync step entered");
  const states = await getAccountJobStates(db, { orgId: org.id });
  expect(states.map((s) => s.accountId).sort()).toEqual([syncing.id, broken.id].sort());

  const running = states.find((s) => s.accountId === syncing.id)!;
  expect(running.state).toBe("running");
  expect(running.current).toMatchObject({ attempt: 0, retryAt: null });
  expect(running.nextRunAt!.getTime()).toBeGreaterThan(Date.now());

  const stopped = states.find((s) => s.accountId === broken.id)!;
  expect(stopped).toMatchObject({
    state: "reconnect_needed",
    current: null,
    nextRunAt: null,
    consecutiveFailures: 1,
    lastError: { at: new Date("2026-11-01T10:00:00Z"), reason: "Authentication failed: bad password" },
    lastRun: { outcome: "failed", errorKind: "auth", trigger: "schedule" },
  });

  release();
  await runtime.runner()!.whenIdle();
  const [after] = await getAccountJobStates(db, { orgId: org.id, accountIds: [syncing.id] });
  expect(after).toMatchObject({ state: "scheduled", current: null });
});
