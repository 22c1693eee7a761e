/**
 * Sync at scale: `npm run bench:scale-sync [-- --sizes 10000,100000] [--fresh] [--node-flags="…"] [--tsx]`
 *
 * For each size N, one Dovecot INBOX of N messages (the Enron corpus repeated, each copy with its own
 * Message-IDs; the largest size also holds one message with a 25 MB attachment), then:
 *   limit:      one imapflow `FETCH 1:*` of every full source (nothing else), in this process;
 *   threadline: a full syncAccount() into an empty Postgres database, in a child process
 *               (bench/support/scale-sync-child.ts), so its peak RSS (VmHWM) is the sync's own.
 * Prints msg/s, the ratio to the limit, CPU ms per message (the sync process, and Postgres), peak RSS.
 * The child runs the way `npm run worker` runs the product's worker (scripts/worker-process.mjs):
 * compiled by esbuild, plain node, the worker's V8 flags. To compare: --node-flags="<flags>" replaces
 * those flags (--node-flags= for none); --tsx runs the TypeScript child under tsx instead of compiled.
 * Checks: peak RSS < 300 MB at the largest size; CPU per message at the largest size within 15% of
 * the smallest (the cost per message must not grow with the mailbox).
 *
 * Maildirs are written straight to disk (no APPEND) and cached with Dovecot's own index files under
 * /tmp/threadline-scale/maildir-<N> (THREADLINE_SCALE_DIR), so a re-run skips seeding and indexing;
 * --fresh rewrites them.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";
import postgres from "postgres";
import { connect } from "@/db/connect";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { insertImapAccount } from "@/tests/support/fixtures";
import { startPostgres } from "@/tests/support/postgres";
import { BUILD_DIR, WORKER_NODE_FLAGS, buildEntry } from "@/scripts/worker-process.mjs";
import { SCALE_ROOT } from "./support/scale-cluster";

const args = parseFlags(process.argv.slice(2));
const sizes = (args.sizes ?? "10000,100000").split(",").map(Number).sort((a, b) => a - b);
const ATTACHMENT_BYTES = 25 * 1000 * 1000;
const RSS_BOUND_MB = 300;
const nodeFlags = args["node-flags"] !== undefined ? args["node-flags"].split(/\s+/).filter(Boolean) : [...WORKER_NODE_FLAGS];
const underTsx = Boolean(args.tsx);
const childEntry = path.join("bench", "support", "scale-sync-child.ts");
const childArgs = underTsx ? [...nodeFlags, "--import", "tsx", childEntry] : [...nodeFlags, await buildEntry(childEntry, path.join(BUILD_DIR, "bench", "scale-sync-child.mjs"))];
log(`sync child: node ${childArgs.join(" ")}`);
process.env.THREADLINE_ENCRYPTION_KEYS ??= `bench:${Buffer.alloc(32, 5).toString("base64")}`;
const corpusDir = path.join(process.env.THREADLINE_CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus"), "enron");
const users = sizes.map((n) => ({ user: `scale${n}@example.test`, password: `pw${n}` }));

const [dovecot, cluster] = await Promise.all([startDovecot({ users, maxUserIpConnections: 50 }), startPostgres()]);
let exitCode = 0;
const cached: (() => void)[] = [];
try {
  const results = [];
  for (const [i, n] of sizes.entries()) {
    const user = users[i]!;
    cached.push(await installMaildir(dovecot, user.user, n, n === sizes.at(-1)));
    log(`${n}: warming Dovecot's index`);
    await fetchAll(user, false);
    log(`${n}: limit (FETCH 1:* of full sources)`);
    const limitStarted = performance.now();
    const limit = await fetchAll(user, true);
    const limitSeconds = (performance.now() - limitStarted) / 1000;
    log(`${n}: threadline sync in a child process`);
    const pgCpuBefore = treeCpuSeconds(pidFrom(path.join(cluster.dir, "data", "postmaster.pid")));
    const sync = await runSync(n, user);
    const pgCpu = treeCpuSeconds(pidFrom(path.join(cluster.dir, "data", "postmaster.pid"))) - pgCpuBefore;
    if (sync.outcome !== "success" || sync.fetched !== limit.messages) throw new Error(`sync of ${n} did not complete: ${JSON.stringify(sync)}`);
    const row = {
      messages: n,
      megabytes: round(limit.bytes / 1e6, 1),
      limitMsgPerS: Math.round(limit.messages / limitSeconds),
      syncMsgPerS: Math.round(sync.fetched / sync.seconds),
      ratio: round(limit.messages / limitSeconds === 0 ? 0 : sync.fetched / sync.seconds / (limit.messages / limitSeconds), 3),
      syncCpuMsPerMsg: round(sync.cpuMs / sync.fetched, 3),
      postgresCpuMsPerMsg: round((pgCpu * 1000) / sync.fetched, 3),
      peakRssMb: Math.round(sync.peakRssMb),
      baselineRssMb: sync.baselineRssMb,
      atPeak: sync.atPeak,
      seconds: round(sync.seconds, 1),
      parseFailures: sync.parseFailures,
      load: os.loadavg().map((l) => round(l, 1)),
    };
    log(JSON.stringify(row));
    results.push(row);
  }
  console.log(`\n messages      MB   limit msg/s   sync msg/s   ratio   sync CPU ms/msg   pg CPU ms/msg   peak RSS MB   load`);
  for (const r of results) {
    console.log(
      `${String(r.messages).padStart(9)} ${String(r.megabytes).padStart(7)} ${String(r.limitMsgPerS).padStart(13)} ${String(r.syncMsgPerS).padStart(12)} ${r.ratio.toFixed(3).padStart(7)} ${r.syncCpuMsPerMsg.toFixed(3).padStart(17)} ${r.postgresCpuMsPerMsg.toFixed(3).padStart(15)} ${String(r.peakRssMb).padStart(13)}   ${r.load.join(" ")}`,
    );
  }
  const small = results[0]!;
  const large = results.at(-1)!;
  const costGrowth = (large.syncCpuMsPerMsg + large.postgresCpuMsPerMsg) / (small.syncCpuMsPerMsg + small.postgresCpuMsPerMsg) - 1;
  console.log(`\nsync process: node ${childArgs.join(" ")}${underTsx ? " (under tsx, not as the worker runs)" : ""}`);
  console.log(`\npeak RSS at ${large.messages}: ${large.peakRssMb} MB (bound ${RSS_BOUND_MB} MB): ${large.peakRssMb < RSS_BOUND_MB ? "PASS" : "FAIL"}`);
  console.log(`CPU per message (sync + Postgres), ${large.messages} vs ${small.messages}: ${costGrowth >= 0 ? "+" : ""}${(costGrowth * 100).toFixed(1)}% (bound +15%): ${costGrowth <= 0.15 ? "PASS" : "FAIL"}`);
  console.log(JSON.stringify({ results, costGrowth: round(costGrowth, 3), nodeArgs: childArgs.slice(0, -1) }));
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const keep of cached) keep();
  await Promise.all([dovecot.stop(), cluster.stop()]);
}
process.exit(exitCode);

/**
 * Puts an N-message Maildir (from the cache, else written now) in place for `user`; returns the
 * function that moves it back to the cache, Dovecot's index files included.
 */
async function installMaildir(server: DovecotServer, user: string, n: number, withAttachment: boolean): Promise<() => void> {
  const cache = path.join(SCALE_ROOT, `maildir-${n}${withAttachment ? "-att" : ""}`);
  const marker = `${cache}.complete`;
  if (args.fresh || !fs.existsSync(marker)) {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(marker, { force: true });
    log(`${n}: writing ${n} messages to ${cache}`);
    writeMaildir(cache, n, withAttachment);
    fs.writeFileSync(marker, new Date().toISOString());
  } else {
    log(`${n}: reusing ${cache}`);
  }
  const target = server.mailDir(user);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.chownSync(path.dirname(target), 65534, 65534);
  fs.renameSync(cache, target);
  return () => {
    try {
      fs.renameSync(target, cache);
    } catch (error) {
      fs.rmSync(marker, { force: true });
      log(`could not keep ${cache}: ${(error as Error).message}`);
    }
  };
}

function writeMaildir(dir: string, n: number, withAttachment: boolean) {
  for (const sub of ["tmp", "new", "cur"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const files = fs.existsSync(corpusDir) ? fs.readdirSync(corpusDir).filter((f) => f.endsWith(".eml")).sort() : [];
  const corpus = files.map((f) => fs.readFileSync(path.join(corpusDir, f)));
  const stamp = Math.floor(Date.now() / 1000);
  const count = withAttachment ? n - 1 : n;
  for (let i = 0; i < count; i++) {
    const source = corpus.length ? copyOf(corpus[i % corpus.length]!, Math.floor(i / corpus.length)) : generated(i);
    const name = `${stamp}.M${i}P${process.pid}.scale,S=${source.length}`;
    fs.writeFileSync(path.join(dir, "new", name), source);
  }
  if (withAttachment) {
    const source = bigMessage();
    fs.writeFileSync(path.join(dir, "new", `${stamp}.M${n}P${process.pid}.scale,S=${source.length}`), source);
  }
  chownTree(dir, 65534, 65534);
}

/** A copy of a corpus message with its own Message-ID (and its thread's references moved along). */
function copyOf(source: Buffer, copy: number): Buffer {
  if (copy === 0) return source;
  const text = source.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, end).replace(/^(message-id|in-reply-to|references):[^\n]*(\n[ \t][^\n]*)*/gim, (h) => h.replace(/</g, `<c${copy}.`));
  return Buffer.from(`X-Bench-Copy: ${copy}\r\n${head}${text.slice(end)}`, "latin1");
}

function generated(i: number): Buffer {
  const body = `Hello,\r\n\r\n${"Please find the figures for the quarter below and call me about the contract.\r\n".repeat(1 + (i % 40))}`;
  return Buffer.from(`From: Bob <bob${i % 500}@example.test>\r\nTo: Alice <alice@example.test>\r\nSubject: Figures ${i}\r\nDate: ${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString().replace("GMT", "+0000")}\r\nMessage-ID: <gen-${i}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`);
}

function bigMessage(): Buffer {
  const payload = crypto.randomBytes(ATTACHMENT_BYTES).toString("base64").replace(/.{76}/g, "$&\r\n");
  return Buffer.from(
    [
      "From: Carol <carol@example.test>",
      "To: Scale <scale@example.test>",
      "Subject: The 25 MB export",
      "Date: Mon, 01 Jan 2024 09:00:00 +0000",
      "Message-ID: <big-attachment@example.test>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The export is attached.",
      "--b1",
      'Content-Type: application/octet-stream; name="export.bin"',
      'Content-Disposition: attachment; filename="export.bin"',
      "Content-Transfer-Encoding: base64",
      "",
      payload,
      "--b1--",
      "",
    ].join("\r\n"),
  );
}

async function fetchAll(user: { user: string; password: string }, source: boolean) {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: user.user, pass: user.password }, logger: false, disableAutoIdle: true });
  await client.connect();
  await client.mailboxOpen("INBOX", { readOnly: true });
  let messages = 0;
  let bytes = 0;
  const query = source ? { uid: true, flags: true, size: true, internalDate: true, source: true } : { uid: true, flags: true, size: true, envelope: true };
  for await (const m of client.fetch("1:*", query)) {
    messages++;
    bytes += m.source?.length ?? 0;
  }
  await client.logout();
  return { messages, bytes };
}

async function runSync(n: number, user: { user: string; password: string }) {
  const name = `scale_sync_${n}`;
  const admin = postgres(cluster.url("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = cluster.url(name);
  const connection = connect({ ...process.env, DATABASE_URL: url });
  await connection.migrate();
  const account = await insertImapAccount(connection.db, dovecot, `scale-sync-${n}`, user);
  await connection.close();
  const child = spawn(process.execPath, [...childArgs, account.id], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`sync child exited with ${code}: ${out}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as {
    outcome: string;
    fetched: number;
    parseFailures: number;
    seconds: number;
    cpuMs: number;
    peakRssMb: number;
    baselineRssMb: number;
    atPeak: { heapUsedMb: number; heapTotalMb: number; externalMb: number; arrayBuffersMb: number };
  };
}

function chownTree(dir: string, uid: number, gid: number) {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else fs.chownSync(full, uid, gid);
  }
}

function pidFrom(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** CPU seconds of a process tree (Linux /proc): living descendants plus reaped children. */
function treeCpuSeconds(root: number | null): number {
  if (!root) return 0;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, s] of stats) {
      if (tree.has(pid) || !tree.has(s.ppid)) continue;
      tree.add(pid);
      grew = true;
    }
  }
  let ticks = 0;
  for (const pid of tree) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks / 100;
}

function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (arg.startsWith("--")) flags[arg.slice(2)] = argv[i + 1] && !argv[i + 1]!.startsWith("--") ? argv[++i]! : "1";
  }
  return flags;
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits));
}

function log(message: string) {
  process.stderr.write(`${message}\n`);
}
