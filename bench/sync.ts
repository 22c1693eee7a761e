/**
 * Sync throughput: `npm run bench:sync [-- --messages N] [--naive N] [--rounds N] [--only limit,naive,threadline,parse] [--limits JSON] [--parse-workers 0,1,2]`
 *
 * Seeds one Dovecot INBOX (the Enron corpus from ../shared/corpus/enron or THREADLINE_CORPUS_DIR,
 * repeated with an X-Bench-Copy header up to --messages; generated mail of realistic sizes when the
 * corpus is absent), then measures in one run:
 *   (a) the limit: one imapflow `FETCH 1:*` of every full source, nothing else;
 *   (b) a naive sync: per message, a UID FETCH of that message, parse, then one transaction storing
 *       it with the same rows as (c) (message, thread, contacts, participants, location, watermark:
 *       the ingest code called with one message, so 10-15 statements per message); on --naive
 *       messages (default 300, the newest, into an empty database), extrapolated as a rate;
 *   (c) Threadline: syncAccount() into an empty Postgres database;
 *   (d) the parse bound: the limit's FETCH with every source parsed as the sync parses it (same
 *       settings and parse threads; --parse-workers applies) and nothing stored: how far a sync
 *       that parses with mailparser gets here when storing costs nothing.
 * Prints messages/s, the ratios, CPU seconds (this process, the Postgres cluster, Dovecot) and peak
 * RSS per phase, and one JSON document. With --rounds N the three phases run N times, interleaved (the
 * machine is shared: a ratio within one round is steadier than rates across runs); medians are reported.
 * Also prints the ceiling: the rate Threadline's CPU per message would allow with every core busy.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import postgres from "postgres";
import { type Connection, connect } from "@/db/connect";
import * as t from "@/db/schema";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import { insertJsonRows } from "@/lib/ingest/sql-lists";
import { closeParseWorkers, parseInWorkers, parseMode, parseWorkerCount } from "@/lib/mime/parse-in-workers";
import { parseMessage } from "@/lib/mime/parse-message";
import { syncAccount } from "@/lib/sync/sync-account";
import type { SyncLimits } from "@/lib/sync/types";
import { startDovecot } from "@/tests/support/dovecot";
import { insertImapAccount } from "@/tests/support/fixtures";
import { buildMessage, deliverToMaildir } from "@/tests/support/mail-seed";
import { startPostgres } from "@/tests/support/postgres";

const args = parseFlags(process.argv.slice(2));
process.env.THREADLINE_ENCRYPTION_KEYS ??= `bench:${Buffer.alloc(32, 3).toString("base64")}`;

const corpusDir = path.join(process.env.THREADLINE_CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus"), "enron");
const { sources, origin } = loadSources(Number(args.messages ?? 0));
const naiveCount = Math.min(Number(args.naive ?? 300), sources.length);
const totalBytes = sources.reduce((sum, s) => sum + s.length, 0);
log(`${sources.length} messages (${(totalBytes / 1e6).toFixed(1)} MB) from ${origin}; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);

const rounds = Math.max(1, Number(args.rounds ?? 1));
// Sync limits to try (batchMessages, batchBytes, fetchChunk...), as JSON: --limits '{"batchMessages":250}'.
const limits: SyncLimits | undefined = args.limits ? JSON.parse(args.limits) : undefined;
// Parse worker threads per round, cycled (e.g. "0,1,2" compares in-thread parsing with 1 and 2 workers).
const parseWorkers = args["parse-workers"]?.split(",") ?? [];
const only = new Set((args.only ?? "limit,naive,threadline,parse").split(","));

const [dovecot, cluster] = await Promise.all([startDovecot({ maxUserIpConnections: 50 }), startPostgres()]);
const user = dovecot.users[0]!;
let exitCode = 0;
try {
  deliverToMaildir(dovecot, "INBOX", sources);
  await warmUp();

  const runs: Partial<Record<PhaseName, PhaseResult>>[] = [];
  for (let n = 1; n <= rounds; n++) {
    const run: Partial<Record<PhaseName, PhaseResult>> = {};
    if (only.has("limit")) run.limit = await phase("limit", measureLimit);
    if (only.has("naive")) run.naive = await phase("naive", () => measureNaive(naiveCount, n));
    if (parseWorkers.length) {
      process.env.THREADLINE_PARSE_WORKERS = parseWorkers[(n - 1) % parseWorkers.length]!;
      await closeParseWorkers();
    }
    if (only.has("threadline")) run.threadline = await phase("threadline", () => measureThreadline(n));
    if (only.has("parse")) run.parse = await phase("parse", measureParseBound);
    runs.push(run);
  }
  const median = (name: PhaseName) => medianRun(runs.map((r) => r[name]).filter((r): r is PhaseResult => Boolean(r)));
  const ratio = (a: PhaseName, b: PhaseName, digits: number) => {
    const values = runs.filter((r) => r[a] && r[b]).map((r) => r[a]!.messagesPerSecond / r[b]!.messagesPerSecond);
    return values.length ? round(medianOf(values), digits) : null;
  };
  const report = {
    messages: sources.length,
    megabytes: Number((totalBytes / 1e6).toFixed(1)),
    origin,
    rounds,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
    limit: median("limit"),
    naive: median("naive"),
    threadline: median("threadline"),
    parse: median("parse"),
    // Median over rounds of each round's own ratio.
    ratios: { threadlineToLimit: ratio("threadline", "limit", 3), threadlineToNaive: ratio("threadline", "naive", 1), parseToLimit: ratio("parse", "limit", 3) },
    targets: { threadlineToLimit: 0.5, threadlineToNaive: 5 },
    ceiling: ceilingOf(median("threadline"), median("limit")),
    ...(rounds > 1 ? { runs } : {}),
  };
  console.log(`\nphase        msg/s     MB/s   node cpu s  postgres cpu s  dovecot cpu s  peak RSS MB${rounds > 1 ? `   (medians of ${rounds} rounds)` : ""}`);
  for (const name of ["limit", "naive", "threadline", "parse"] as const) {
    const r = report[name];
    if (!r) continue;
    console.log(
      `${name.padEnd(11)} ${String(r.messagesPerSecond).padStart(6)} ${String(r.megabytesPerSecond).padStart(8)} ${String(r.cpuSeconds).padStart(12)} ${String(r.postgresCpuSeconds).padStart(15)} ${String(r.dovecotCpuSeconds).padStart(14)} ${String(r.peakRssMb).padStart(12)}`,
    );
  }
  console.log(`threadline / limit = ${report.ratios.threadlineToLimit} (target ≥ 0.5); threadline / naive = ${report.ratios.threadlineToNaive}× (target ≥ 5×)`);
  const c = report.ceiling;
  if (c) {
    console.log(
      `threadline's CPU per message (this process + Postgres + Dovecot): ${c.cpuMsPerMessage} ms; with all ${c.cores} cores busy all the time: at most ${c.messagesPerSecond} msg/s${c.ofLimit === null ? "" : ` = ${c.ofLimit} of the limit`}`,
    );
  }
  if (report.ratios.parseToLimit !== null) {
    console.log(`parse bound (fetch + parse, nothing stored) / limit = ${report.ratios.parseToLimit}`);
  }
  console.log("");
  console.log(JSON.stringify(report, null, 2));
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await Promise.all([dovecot.stop(), cluster.stop()]);
}
process.exit(exitCode);

/**
 * The rate this machine could reach if Threadline's measured CPU per message (sync process, Postgres,
 * Dovecot) kept every core busy the whole time: no waiting, no contention. The real rate is below it.
 */
function ceilingOf(threadline: PhaseResult | null, limit: PhaseResult | null) {
  if (!threadline?.messages) return null;
  const cores = os.availableParallelism();
  const cpuSeconds = threadline.cpuSeconds + threadline.postgresCpuSeconds + threadline.dovecotCpuSeconds;
  const messagesPerSecond = Math.round((cores * threadline.messages) / cpuSeconds);
  return {
    cores,
    cpuMsPerMessage: round((cpuSeconds * 1000) / threadline.messages, 2),
    messagesPerSecond,
    ofLimit: limit ? round(messagesPerSecond / limit.messagesPerSecond, 3) : null,
  };
}

type PhaseName = "limit" | "naive" | "threadline" | "parse";
type PhaseResult = {
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  // This process (all its threads), the bench's Postgres cluster, and its Dovecot (each process tree).
  cpuSeconds: number;
  postgresCpuSeconds: number;
  dovecotCpuSeconds: number;
  peakRssMb: number;
  loadAverage: number;
  note?: string;
};

/** Runs one measurement, sampling RSS every 20 ms for the phase's own peak. */
async function phase(name: string, work: () => Promise<{ messages: number; bytes: number; note?: string }>): Promise<PhaseResult> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const serverCpu = { postgres: treeCpuSeconds(pidFrom(path.join(cluster.dir, "data", "postmaster.pid"))), dovecot: treeCpuSeconds(pidFrom(path.join(dovecot.dir, "run", "master.pid"))) };
  const started = performance.now();
  const { messages, bytes, note } = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const used = process.cpuUsage(cpu);
  const result = {
    messages,
    seconds: round(seconds, 2),
    messagesPerSecond: Math.round(messages / seconds),
    megabytesPerSecond: round(bytes / 1e6 / seconds, 1),
    cpuSeconds: round((used.user + used.system) / 1e6, 2),
    postgresCpuSeconds: round(treeCpuSeconds(pidFrom(path.join(cluster.dir, "data", "postmaster.pid"))) - serverCpu.postgres, 2),
    dovecotCpuSeconds: round(treeCpuSeconds(pidFrom(path.join(dovecot.dir, "run", "master.pid"))) - serverCpu.dovecot, 2),
    peakRssMb: Math.round(peak / 1e6),
    loadAverage: round(os.loadavg()[0]!, 1),
    ...(note ? { note } : {}),
  };
  log(`${name}: ${result.messagesPerSecond} msg/s over ${messages} messages in ${result.seconds} s`);
  return result;
}

/** Dovecot indexes the delivered files on first access; read everything once so no phase pays for it. */
async function warmUp() {
  const client = await imapClient();
  await client.mailboxOpen("INBOX", { readOnly: true });
  for await (const _ of client.fetch("1:*", { uid: true, source: true })) void _;
  await client.logout();
}

function measureLimit() {
  return fetchEverySource();
}

/** One `FETCH 1:*` of every full source, each handed to `each` (awaited) as it arrives. */
async function fetchEverySource(each?: (source: Buffer) => Promise<void> | void) {
  const client = await imapClient();
  await client.mailboxOpen("INBOX", { readOnly: true });
  let messages = 0;
  let bytes = 0;
  for await (const m of client.fetch("1:*", { uid: true, flags: true, size: true, internalDate: true, source: true })) {
    messages++;
    bytes += m.source?.length ?? 0;
    if (each && m.source) await each(m.source);
  }
  await client.logout();
  return { messages, bytes };
}

/**
 * The limit's FETCH with each source parsed as the sync parses it (same parse settings and thread
 * pool), nothing stored: what a sync would reach here if storing cost nothing.
 */
async function measureParseBound() {
  const pending: Promise<unknown>[] = [];
  const fetched = await fetchEverySource(async (source) => {
    pending.push(parseInWorkers(source));
    // Bounded like a sync batch, so memory stays flat and the parser never waits for the fetch.
    if (pending.length >= 500) await Promise.all(pending.splice(0, 250));
  });
  await Promise.all(pending);
  return { ...fetched, note: `parsed ${parseMode() === "workers" ? `in ${parseWorkerCount()} worker threads` : "in the main thread"}` };
}

/**
 * What a first implementation does: one message at a time, end to end. It stores exactly what
 * syncAccount stores (a loop that skipped threads or contacts would be measuring less work), and it
 * reuses the batch SQL with a batch of one rather than one INSERT per participant and contact, so if
 * anything it is a little faster than a hand-written per-row loop.
 */
async function measureNaive(count: number, round: number) {
  const db = await freshDatabase(`bench_naive_${round}`);
  try {
    const account = await insertImapAccount(db.db, dovecot, `bench-${crypto.randomBytes(3).toString("hex")}`, user);
    const [box] = await db.db.insert(t.mailboxes).values({ orgId: account.orgId, accountId: account.id, path: "INBOX", name: "INBOX" }).returning();
    const client = await imapClient();
    await client.mailboxOpen("INBOX", { readOnly: true });
    const uids = ((await client.search({ all: true }, { uid: true })) || []).slice(-count);
    let bytes = 0;
    for (const uid of uids) {
      const m = await client.fetchOne(String(uid), { uid: true, flags: true, size: true, internalDate: true, source: true }, { uid: true });
      if (!m || !m.source) continue;
      bytes += m.source.length;
      const parsed = await parseMessage(m.source);
      const dedupeKey = `sha256:${crypto.createHash("sha256").update(m.source).digest("hex")}`;
      await db.db.transaction(async (tx) => {
        const ids = await ingestMessages(tx, { id: account.id, orgId: account.orgId, ownAddresses: [account.emailAddress] }, [
          { dedupeKey, parsed, rawSource: parsed.parseError ? m.source! : null, size: m.size ?? m.source!.length, receivedAt: m.internalDate ? new Date(m.internalDate) : null, gmMsgId: null, gmThreadId: null },
        ]);
        await tx.execute(
          insertJsonRows("message_locations", [["mailbox_id", "uuid"], ["uid", "bigint"], ["message_id", "uuid"], ["org_id", "uuid"], ["account_id", "uuid"], ["flags", "text[]"]], [
            { mailbox_id: box!.id, uid, message_id: ids.get(dedupeKey), org_id: account.orgId, account_id: account.id, flags: [...(m.flags ?? [])] },
          ]),
        );
        await tx.update(t.mailboxes).set({ lastUid: uid }).where(eq(t.mailboxes.id, box!.id));
      });
    }
    await client.logout();
    return { messages: uids.length, bytes, note: `${uids.length} of ${sources.length} messages, rate extrapolated` };
  } finally {
    await db.close();
  }
}

async function measureThreadline(round: number) {
  const db = await freshDatabase(`bench_threadline_${round}`);
  try {
    const account = await insertImapAccount(db.db, dovecot, `bench-${crypto.randomBytes(3).toString("hex")}`, user);
    const summary = await syncAccount({
      db: db.db,
      account,
      connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }),
      limits,
    });
    if (summary.outcome !== "success" || summary.fetched !== sources.length) throw new Error(`sync did not complete: ${JSON.stringify({ ...summary, mailboxes: undefined })}`);
    return { messages: summary.fetched, bytes: summary.bytes, note: `${summary.added} stored, ${summary.parseFailures} parse failures, parsed ${parseMode() === "workers" ? `in ${parseWorkerCount()} worker threads` : "in the main thread"}` };
  } finally {
    await db.close();
  }
}

async function freshDatabase(name: string): Promise<Connection> {
  const admin = postgres(cluster.url("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const connection = connect({ ...process.env, DATABASE_URL: cluster.url(name) });
  await connection.migrate();
  return connection;
}

async function imapClient() {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: user.user, pass: user.password }, logger: false, disableAutoIdle: true });
  await client.connect();
  return client;
}

function loadSources(wanted: number): { sources: Buffer[]; origin: string } {
  if (fs.existsSync(corpusDir)) {
    const files = fs.readdirSync(corpusDir).filter((f) => f.endsWith(".eml")).sort();
    const corpus = files.map((f) => fs.readFileSync(path.join(corpusDir, f)));
    const n = wanted || corpus.length;
    // Copies differ by one header, so each is a distinct message (its own dedupe key).
    const out = Array.from({ length: n }, (_, i) => {
      const copy = Math.floor(i / corpus.length);
      const source = corpus[i % corpus.length]!;
      return copy === 0 ? source : Buffer.concat([Buffer.from(`X-Bench-Copy: ${copy}\r\n`), source]);
    });
    return { sources: out, origin: corpusDir };
  }
  // No corpus: sizes spread like real mail (most a few KB, some tens of KB, a few hundred KB).
  const n = wanted || 3000;
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const sources = Array.from({ length: n }, (_, i) => {
    const r = random();
    const size = r < 0.7 ? 800 + random() * 4000 : r < 0.97 ? 5000 + random() * 40_000 : 100_000 + random() * 300_000;
    return buildMessage({ subject: `Generated message ${i} about ${["budget", "travel", "contract", "meeting"][i % 4]}`, size: Math.round(size) });
  });
  return { sources, origin: "generated" };
}

function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) flags[arg.slice(2)] = argv[i + 1] && !argv[i + 1]!.startsWith("--") ? argv[++i]! : "true";
  }
  return flags;
}

/** The run with the median rate (its own figures, not a mix of several runs). */
function medianRun(results: PhaseResult[]): PhaseResult | null {
  if (!results.length) return null;
  const sorted = [...results].sort((a, b) => a.messagesPerSecond - b.messagesPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pidFrom(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds of a process tree so far (Linux /proc; 0 elsewhere): the root's own and reaped
 * children's time, plus every living descendant's. Other clusters on the machine are not counted.
 */
function treeCpuSeconds(root: number | null): number {
  if (!root) return 0;
  const stats = new Map<number, { ppid: number; ticks: number; reaped: number }>();
  try {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), reaped: Number(fields[13]) + Number(fields[14]) });
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  const inTree = new Set([root]);
  let ticks = 0;
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, s] of stats) {
      if (inTree.has(pid) || !inTree.has(s.ppid)) continue;
      inTree.add(pid);
      grew = true;
    }
  }
  for (const pid of inTree) {
    const s = stats.get(pid);
    if (s) ticks += s.ticks + s.reaped;
  }
  return ticks / 100;
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits));
}

function log(message: string) {
  process.stderr.write(`${message}\n`);
}
