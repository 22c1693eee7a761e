/**
 * One full Threadline sync in its own process, so its peak memory (VmHWM) and CPU time are the sync's
 * alone. Run by bench/scale-sync.ts the way the worker runs (compiled into .build/, plain node, the
 * worker's V8 flags: scripts/worker-process.mjs), `<accountId>` as its argument, with DATABASE_URL and
 * THREADLINE_ENCRYPTION_KEYS set. Prints one JSON line on stdout; TRACE_RSS=1 also
 * prints RSS, heap and external memory to stderr every half second.
 */
import fs from "node:fs";
import { connect } from "@/db/connect";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { closeParseWorkers } from "@/lib/mime/parse-in-workers";
import { syncAccount } from "@/lib/sync/sync-account";

const accountId = process.argv[2]!;
// Before any sync work: the process with its modules loaded, the floor the sync adds to.
const baselineRssMb = mb(process.memoryUsage().rss);
const connection = connect();
const cpu = process.cpuUsage();
const started = performance.now();
// Where the memory is at the moment of peak RSS (heap vs Buffers), to tell what to shrink.
let peak = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peak.rss) peak = now;
  if (process.env.TRACE_RSS && ++ticks % 25 === 0) process.stderr.write(`t=${Math.round(performance.now() - started)} rss=${mb(now.rss)} heap=${mb(now.heapUsed)}/${mb(now.heapTotal)} ext=${mb(now.external)}\n`);
}, 20);
let ticks = 0;
const summary = await syncAccount({
  db: connection.db,
  account: accountId,
  connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }),
});
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const used = process.cpuUsage(cpu);
await closeParseWorkers();
await connection.close();
const status = fs.readFileSync("/proc/self/status", "utf8");
const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
process.stdout.write(
  `${JSON.stringify({
    outcome: summary.outcome,
    error: summary.error?.message,
    fetched: summary.fetched,
    added: summary.added,
    parseFailures: summary.parseFailures,
    bytes: summary.bytes,
    seconds,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMb: kb("VmHWM") / 1024,
    baselineRssMb,
    atPeak: { heapUsedMb: mb(peak.heapUsed), heapTotalMb: mb(peak.heapTotal), externalMb: mb(peak.external), arrayBuffersMb: mb(peak.arrayBuffers) },
  })}\n`,
);
process.exit(0);

function mb(bytes: number) {
  return Math.round(bytes / 1024 / 1024);
}
