import fs from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { mailAccounts, messages } from "@/db/schema";
import { createJobFunctions } from "@/inngest/functions";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { createServeHandler } from "@/inngest/serve";
import { createRunSyncStep } from "@/lib/jobs/run-account-sync-step";
import { type JobRuntime, startJobRuntime } from "@/lib/jobs/start-job-runtime";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, buildMessage, openSeedClient } from "@/tests/support/mail-seed";
import { type TestDatabase, createTestDatabase } from "@/tests/support/test-database";
import { insertImapAccount } from "@/tests/support/fixtures";
import { until } from "./support/in-process-jobs";

// The whole loop against a real Dovecot and Postgres: the app's functions run by the in-process
// runtime (leader election on Postgres included), the IDLE watcher, the real sync core.

let server: DovecotServer;
let database: TestDatabase;
let runtime: JobRuntime;
let seed: ImapFlow;
let account: typeof mailAccounts.$inferSelect;
const previousAllow = process.env.THREADLINE_ALLOW_PRIVATE_HOSTS;

beforeAll(async () => {
  process.env.THREADLINE_ALLOW_PRIVATE_HOSTS = "1";
  [server, database] = await Promise.all([startDovecot(), createTestDatabase({ engine: "postgres" })]);
  seed = await openSeedClient(server);
  await appendMessages(seed, "INBOX", Array.from({ length: 25 }, (_, i) => ({ subject: `Backlog ${i}` })));
  await appendMessages(seed, "Sent", [{ subject: "Sent earlier" }]);
  const db = database.db;
  runtime = await startJobRuntime({
    role: "worker",
    handler: createServeHandler(createJobFunctions({ db, runSyncStep: createRunSyncStep(), intervalMs: 300_000 })),
    db,
    requestSync: (a) => requestAccountSync({ orgId: a.orgId, accountId: a.id, reason: "idle" }, db),
    env: { ...process.env, DATABASE_URL: database.url! },
    logger: { info() {}, warn() {}, error() {} },
    watcher: { refreshMs: 200 },
  });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await seed?.logout().catch(() => seed.close());
  await Promise.all([server?.stop(), database?.close()]);
  if (previousAllow === undefined) delete process.env.THREADLINE_ALLOW_PRIVATE_HOSTS;
  else process.env.THREADLINE_ALLOW_PRIVATE_HOSTS = previousAllow;
});

describe("durable jobs end to end (Dovecot + Postgres)", () => {
  test("this process leads (advisory lock) and runs the functions in-process", () => {
    expect(runtime.mode).toBe("in-process");
    expect(runtime.isLeader()).toBe(true);
    expect(runtime.runner()?.functions.map((f) => f.slug).sort()).toEqual(["refresh-account-token", "refresh-tokens", "schedule-syncs", "sync-account", "sync-account-failure"]);
  });

  test("a linked account's initial sync completes unattended", async () => {
    account = await insertImapAccount(database.db, server);
    expect(account.status).toBe("connecting");
    await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "linked" }, database.db);
    await until(async () => (await accountRow()).status === "active", 30_000, "account active");
    expect(await messageCount()).toBe(26);
    const row = await accountRow();
    expect(row).toMatchObject({ consecutiveFailures: 0, statusReason: null });
    expect(row.nextSyncAt!.getTime()).toBeGreaterThan(Date.now() + 200_000);
  });

  test("a message appended to Inbox arrives through the IDLE watcher", async () => {
    const watching = () => runtime.watcher()?.status(account.id)?.folders.filter((f) => f.state === "idle").map((f) => f.path).sort();
    await until(() => watching()?.join() === "INBOX,Sent", 15_000, "IDLE on INBOX and Sent");
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const messageId = `<idle-${i}-${Date.now()}@example.test>`;
      const started = Date.now();
      await seed.append("INBOX", buildMessage({ subject: `Fresh ${i}`, messageId }));
      await until(async () => (await hasMessage(messageId)), 10_000, `message ${i} stored`);
      latencies.push(Date.now() - started);
    }
    console.log(`IDLE → stored latencies (ms): ${latencies.join(", ")}`);
    // The schedule is five minutes away: only the watcher can have brought them in.
    expect(Math.max(...latencies)).toBeLessThan(5_000);
    const sent = `<sent-${Date.now()}@example.test>`;
    await seed.append("Sent", buildMessage({ subject: "Sent now", messageId: sent }));
    await until(() => hasMessage(sent), 10_000, "sent message stored");
  });

  test("broken credentials stop the account with the reason, without a retry storm", async () => {
    fs.writeFileSync(path.join(server.dir, "passwd"), `${server.users[0]!.user}:{PLAIN}changed-elsewhere::::::\n`);
    const loginsBefore = loginLines().length;
    // New mail: the watcher (still logged in) asks for a sync, whose login now fails.
    await seed.close();
    await appendDirect("After the password change");
    await until(async () => (await accountRow()).status === "reconnect_needed", 15_000, "reconnect_needed");
    await runtime.runner()!.whenIdle();
    const row = await accountRow();
    expect(row.statusReason).toMatch(/Authentication failed/i);
    expect(row.nextSyncAt).toBeNull();

    // The watcher lets go of the account; neither it nor the schedule tries again.
    await until(() => runtime.watcher()?.status(account.id) === null, 5_000, "watch stopped");
    const attempts = loginLines().length - loginsBefore;
    for (let i = 0; i < 3; i++) {
      runtime.runner()!.triggerCron("schedule-syncs");
      await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "manual" }, database.db);
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await runtime.runner()!.whenIdle();
    const failed = loginLines().slice(loginsBefore).filter((l) => /auth failed/.test(l));
    console.log(`login attempts after the password change: ${attempts} (failed: ${failed.length})`);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(2);
    expect(loginLines().length - loginsBefore).toBe(attempts);
  });
});

/* ---------- helpers ---------- */

async function accountRow() {
  const [row] = await database.db.select().from(mailAccounts).where(eq(mailAccounts.id, account.id));
  return row!;
}

async function messageCount(): Promise<number> {
  const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${messages} where ${messages.accountId} = ${account.id}`);
  return rows[0]!.n;
}

async function hasMessage(messageId: string): Promise<boolean> {
  const rows = await database.db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.accountId, account.id), eq(messages.messageIdHeader, messageId.replace(/^<|>$/g, ""))));
  if (rows.length > 0) return true;
  const raw = await database.db.select({ id: messages.id }).from(messages).where(and(eq(messages.accountId, account.id), eq(messages.messageIdHeader, messageId)));
  return raw.length > 0;
}

// Dovecot logs every login attempt: successes ("Login:") and failures ("auth failed").
function loginLines(): string[] {
  const log = fs.readFileSync(path.join(server.dir, "dovecot.log"), "utf8");
  return log.split("\n").filter((line) => /imap-login: (Login:|.*auth failed)/.test(line));
}

// The seeding user's password changed too: deliver as the MTA would, by writing the maildir.
async function appendDirect(subject: string) {
  const { deliverToMaildir } = await import("@/tests/support/mail-seed");
  deliverToMaildir(server, "INBOX", [buildMessage({ subject })]);
}
