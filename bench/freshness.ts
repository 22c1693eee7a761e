/**
 * New-message freshness: how long after an APPEND to Inbox the message is in the database, with the
 * IDLE watcher and with polling only (the schedule alone). Real Dovecot, real Postgres, the app's
 * job functions run by the in-process runtime, the real sync core.
 *
 *   npm run bench:freshness -- [--appends 50] [--gap-ms 150-600] [--mode both|watcher|polling]
 *                              [--poll-appends 50] [--poll-interval 60] [--poll-window 150]
 *
 * Polling latency is bounded by the sync interval and the schedule's one-minute tick, so that phase
 * spreads its appends over --poll-window seconds (a few minutes in all). Postgres: a throwaway
 * cluster in /tmp. Prints one JSON document; progress goes to stderr.
 */
import crypto from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import type { Connection } from "@/db/connect";
import { connect } from "@/db/connect";
import { mailAccounts, messages } from "@/db/schema";
import { createJobFunctions } from "@/inngest/functions";
import { requestAccountSync } from "@/inngest/request-account-sync";
import { createServeHandler } from "@/inngest/serve";
import { createRunSyncStep } from "@/lib/jobs/run-account-sync-step";
import { startJobRuntime } from "@/lib/jobs/start-job-runtime";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { insertImapAccount } from "@/tests/support/fixtures";
import { buildMessage, openSeedClient } from "@/tests/support/mail-seed";
import { startPostgres } from "@/tests/support/postgres";

const args = parseFlags(process.argv.slice(2));
const mode = args.mode ?? "both";
const appends = Number(args.appends ?? 50);
const [gapMin, gapMax] = (args["gap-ms"] ?? "150-600").split("-").map(Number) as [number, number];
const pollAppends = Number(args["poll-appends"] ?? 50);
const pollIntervalS = Number(args["poll-interval"] ?? 60);
const pollWindowS = Number(args["poll-window"] ?? 150);

process.env.THREADLINE_ALLOW_PRIVATE_HOSTS = "1";
process.env.THREADLINE_ENCRYPTION_KEYS ??= `bench:${crypto.randomBytes(32).toString("base64")}`;
const quiet = { info() {}, warn: (m: string) => log(`warn: ${m}`), error: (m: string) => log(`error: ${m}`) };

async function main() {
  const cluster = await startPostgres();
  let server: DovecotServer | null = null;
  let connection: Connection | null = null;
  try {
    const admin = postgres(cluster.url("postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe("CREATE DATABASE freshness");
    await admin.end();
    const url = cluster.url("freshness");
    connection = connect({ ...process.env, DATABASE_URL: url });
    await connection.migrate();
    server = await startDovecot();
    const db = connection.db;
    const account = await insertImapAccount(db, server, "bench");
    const seed = await openSeedClient(server);
    for (let i = 0; i < 10; i++) await seed.append("INBOX", buildMessage({ subject: `Backlog ${i}` }));

    const result: Record<string, unknown> = { machine: `${process.platform} ${process.arch}, node ${process.version}` };
    const start = async (watcher: boolean, intervalMs: number) =>
      startJobRuntime({
        role: "worker",
        handler: createServeHandler(createJobFunctions({ db, runSyncStep: createRunSyncStep(), intervalMs })),
        db,
        requestSync: (a) => requestAccountSync({ orgId: a.orgId, accountId: a.id, reason: "idle" }, db),
        env: { ...process.env, DATABASE_URL: url, THREADLINE_IDLE_WATCHER: watcher ? "1" : "0" },
        logger: quiet,
        watcher: { refreshMs: 500 },
      });

    if (mode !== "polling") {
      const runtime = await start(true, 300_000);
      await requestAccountSync({ orgId: account.orgId, accountId: account.id, reason: "linked" }, db);
      await waitFor(async () => (await db.select().from(mailAccounts).where(eq(mailAccounts.id, account.id)))[0]!.status === "active", 60_000);
      await waitFor(async () => runtime.watcher()?.status(account.id)?.folders.some((f) => f.path === "INBOX" && f.state === "idle") ?? false, 30_000);
      log(`watcher: ${appends} appends, ${gapMin}-${gapMax} ms apart`);
      const latencies = await measure(db, seed, appends, () => gapMin + Math.random() * (gapMax - gapMin), 30_000);
      result.watcher = { ...summarise(latencies), appends, gapMs: [gapMin, gapMax] };
      await runtime.stop();
    }

    if (mode !== "watcher") {
      // As if the account had just been synced: the next poll is one interval away.
      await db.update(mailAccounts).set({ status: "active", nextSyncAt: sql`now() + ${pollIntervalS} * interval '1 second'` }).where(eq(mailAccounts.id, account.id));
      const runtime = await start(false, pollIntervalS * 1000);
      const gap = (pollWindowS * 1000) / pollAppends;
      log(`polling only: ${pollAppends} appends over ${pollWindowS} s, sync interval ${pollIntervalS} s (schedule ticks every minute)`);
      const latencies = await measure(db, seed, pollAppends, () => gap * (0.5 + Math.random()), (pollIntervalS + 90) * 1000);
      result.polling = { ...summarise(latencies), appends: pollAppends, intervalS: pollIntervalS, windowS: pollWindowS };
      await runtime.stop();
    }
    await seed.logout().catch(() => seed.close());
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } finally {
    await connection?.close();
    await server?.stop();
    await cluster.stop();
  }
}

/** Appends `count` messages `gap()` ms apart and returns each one's APPEND-to-row latency in ms. */
async function measure(db: Connection["db"], seed: Awaited<ReturnType<typeof openSeedClient>>, count: number, gap: () => number, settleMs: number) {
  const appendedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let appending = true;
  const watcher = (async () => {
    while (appending || seenAt.size < appendedAt.size) {
      const pending = [...appendedAt.keys()].filter((id) => !seenAt.has(id));
      if (pending.length > 0) {
        const rows = await db.select({ id: messages.messageIdHeader }).from(messages).where(inArray(messages.messageIdHeader, pending.flatMap((id) => [id, `<${id}>`])));
        const now = Date.now();
        for (const row of rows) seenAt.set(row.id!.replace(/^<|>$/g, ""), now);
      }
      await sleep(15);
    }
  })();
  for (let i = 0; i < count; i++) {
    const id = `fresh-${i}-${crypto.randomBytes(4).toString("hex")}@bench.test`;
    appendedAt.set(id, Date.now());
    await seed.append("INBOX", buildMessage({ subject: `Fresh ${i}`, messageId: `<${id}>` }));
    if (i % 10 === 9) log(`  ${i + 1}/${count} appended, ${seenAt.size} stored`);
    await sleep(gap());
  }
  appending = false;
  await Promise.race([watcher, sleep(settleMs)]);
  const missing = [...appendedAt.keys()].filter((id) => !seenAt.has(id));
  if (missing.length > 0) log(`  ${missing.length} message(s) not stored within ${settleMs} ms`);
  return [...appendedAt].filter(([id]) => seenAt.has(id)).map(([id, at]) => seenAt.get(id)! - at);
}

function summarise(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
  return { measured: sorted.length, p50Ms: pick(0.5), p95Ms: pick(0.95), maxMs: sorted.at(-1) ?? null };
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(50);
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) flags[arg.slice(2)] = argv[i + 1] && !argv[i + 1]!.startsWith("--") ? argv[++i]! : "1";
  }
  return flags;
}

await main();
process.exit(0);
