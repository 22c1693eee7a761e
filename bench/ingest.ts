/**
 * Parse + ingest throughput on a corpus folder (default: ../shared/corpus/enron).
 *
 *   npx tsx bench/ingest.ts [--dir <folder>] [--batch 500] [--engine postgres|pglite] [--repeat 1] [--owner addr]
 *   npx tsx bench/ingest.ts --synthetic 20000     (small ~450-byte messages, as in FACTS.md's insert figure)
 *
 * Parse speed is given per wall-clock second and per CPU second of this process (the machine is shared:
 * the CPU figure is the steadier one).
 * Postgres: DATABASE_URL if set (a scratch database: the bench creates an organisation in it), else a
 * throwaway cluster in /tmp started and stopped by the bench. Prints one JSON document.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { connect, type Connection } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { mailAccounts, organizations } from "@/db/schema";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import type { IncomingMessage } from "@/lib/ingest/types";
import { parseMessage } from "@/lib/mime/parse-message";
import { startPostgres } from "@/tests/support/postgres";

const args = parseFlags(process.argv.slice(2));
const dir = path.resolve(args.dir ?? process.env.THREADLINE_CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus"), args.dir ? "" : "enron");
const batchSize = Number(args.batch ?? 500);
const engine = args.engine ?? "postgres";
const repeat = Number(args.repeat ?? 1);
const owner = args.owner ?? "bailey-s@enron.com";

const synthetic = Number(args.synthetic ?? 0);
const files = synthetic ? Array.from({ length: synthetic }, (_, i) => `synthetic-${i}`) : fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
const sources = synthetic ? files.map((_, i) => syntheticMessage(i)) : files.map((f) => fs.readFileSync(path.join(dir, f)));
const bytes = sources.reduce((sum, s) => sum + s.length, 0);

let parseMs = 0;
const items: IncomingMessage[] = [];
const parseCpu = process.cpuUsage();
for (let round = 0; round < repeat; round++) {
  const start = performance.now();
  for (const source of sources) {
    const parsed = await parseMessage(source);
    if (round === 0) {
      const dedupeKey = `sha256:${crypto.createHash("sha256").update(source).digest("hex")}`;
      items.push({ dedupeKey, parsed, rawSource: source, size: source.length, receivedAt: null, gmMsgId: null, gmThreadId: null });
    }
  }
  parseMs += performance.now() - start;
}
const parseCpuMs = (() => {
  const used = process.cpuUsage(parseCpu);
  return (used.user + used.system) / 1000;
})();

const { connection, stop } = await openDatabase(engine);
try {
  const db = connection.db;
  const slug = `bench-${crypto.randomBytes(3).toString("hex")}`;
  const [org] = await db.insert(organizations).values({ slug, name: slug }).returning();
  const [account] = await db
    .insert(mailAccounts)
    .values({ orgId: org!.id, provider: "imap", emailAddress: owner, imapHost: "127.0.0.1", imapPort: 143, imapUser: owner, authKind: "password" })
    .returning();
  const ingestAccount = { id: account!.id, orgId: org!.id, ownAddresses: [owner] };

  const ingest = async () => {
    const start = performance.now();
    for (let i = 0; i < items.length; i += batchSize) {
      await db.transaction((tx) => ingestMessages(tx, ingestAccount, items.slice(i, i + batchSize)));
    }
    return performance.now() - start;
  };
  const serverCpuBefore = postgresCpuSeconds();
  const nodeCpuBefore = process.cpuUsage();
  const firstMs = await ingest();
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const serverCpu = postgresCpuSeconds() - serverCpuBefore;
  const againMs = await ingest();
  const [counts] = await queryRows<Record<string, number>>(
    db,
    sql`select
      (select count(*)::int from messages where org_id = ${org!.id}) as messages,
      (select count(*)::int from message_participants where org_id = ${org!.id}) as participants,
      (select count(*)::int from attachments where org_id = ${org!.id}) as attachments,
      (select count(*)::int from message_raw where org_id = ${org!.id}) as raw,
      (select count(*)::int from contacts where org_id = ${org!.id}) as contacts,
      (select count(*)::int from threads where org_id = ${org!.id}) as threads,
      (select count(*)::int from threads where org_id = ${org!.id} and message_count > 1) as multi_message_threads,
      (select max(message_count)::int from threads where org_id = ${org!.id}) as largest_thread`,
  );
  const rows = counts!.messages! + counts!.participants! + counts!.attachments! + counts!.raw! + counts!.contacts! + counts!.threads!;
  process.stdout.write(
    JSON.stringify(
      {
        corpus: synthetic ? `${synthetic} synthetic messages` : dir,
        loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
        files: files.length,
        megabytes: +(bytes / 1e6).toFixed(1),
        engine,
        batchSize,
        parse: {
          messagesPerSecond: Math.round((files.length * repeat) / (parseMs / 1000)),
          messagesPerCpuSecond: Math.round((files.length * repeat) / (parseCpuMs / 1000)),
          megabytesPerSecond: +((bytes * repeat) / 1e6 / (parseMs / 1000)).toFixed(1),
        },
        ingest: {
          seconds: +(firstMs / 1000).toFixed(2),
          messagesPerSecond: Math.round(items.length / (firstMs / 1000)),
          rowsPerSecond: Math.round(rows / (firstMs / 1000)),
          // CPU spent by this process and by every Postgres process of the machine (0 for PGlite/remote).
          nodeCpuSeconds: +((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(2),
          postgresCpuSeconds: +serverCpu.toFixed(2),
          reingestMessagesPerSecond: Math.round(items.length / (againMs / 1000)),
        },
        counts,
      },
      null,
      2,
    ) + "\n",
  );
} finally {
  await connection.close();
  await stop();
}

async function openDatabase(kind: string): Promise<{ connection: Connection; stop: () => Promise<void> }> {
  if (kind === "pglite") {
    const connection = connect({ THREADLINE_DATA_DIR: "memory://" } as unknown as NodeJS.ProcessEnv);
    await connection.migrate();
    return { connection, stop: async () => {} };
  }
  if (process.env.DATABASE_URL) {
    const connection = connect(process.env);
    await connection.migrate();
    return { connection, stop: async () => {} };
  }
  const cluster = await startPostgres();
  const admin = postgres(cluster.url("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe("CREATE DATABASE bench");
  await admin.end();
  const connection = connect({ DATABASE_URL: cluster.url("bench") } as unknown as NodeJS.ProcessEnv);
  await connection.migrate();
  return { connection, stop: () => cluster.stop() };
}

/** CPU seconds used so far by all local `postgres` processes (Linux /proc; 0 elsewhere). */
function postgresCpuSeconds(): number {
  let ticks = 0;
  try {
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        if (name !== "postgres") continue;
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ticks / 100;
}

function syntheticMessage(i: number): Buffer {
  const person = `person${i % 997}`;
  const lines = [
    `From: Person ${i % 997} <${person}@example${i % 13}.com>`,
    `To: ${owner}`,
    `Subject: ${i % 5 ? "Re: " : ""}Topic number ${Math.floor(i / 4)}`,
    `Date: ${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString()}`,
    `Message-ID: <m${i}@example${i % 13}.com>`,
    ...(i % 4 ? [`In-Reply-To: <m${i - 1}@example${(i - 1) % 13}.com>`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Hello, this is message ${i} about the quarterly pipeline figures and the meeting next week.`,
    "Best regards",
    "",
  ];
  return Buffer.from(lines.join("\r\n"));
}

function parseFlags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith("--")) out[argv[i]!.slice(2)] = argv[++i] ?? "";
  return out;
}
