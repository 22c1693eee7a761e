/**
 * One full Threadline sync in its own process, so its peak memory (VmHWM) and CPU time are the sync's
 * alone. Run by bench/scale-sync.ts: `node --import tsx bench/support/scale-sync-child.ts <accountId>`
 * with DATABASE_URL and THREADLINE_ENCRYPTION_KEYS set. Prints one JSON line on stdout.
 */
import fs from "node:fs";
import { connect } from "@/db/connect";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { closeParseWorkers } from "@/lib/mime/parse-in-workers";
import { syncAccount } from "@/lib/sync/sync-account";

const accountId = process.argv[2]!;
const connection = connect();
const cpu = process.cpuUsage();
const started = performance.now();
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 50);
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
    peakHeapMb: peakHeap / 1024 / 1024,
  })}\n`,
);
process.exit(0);
