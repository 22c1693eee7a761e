// Child process for tests/hostile: one syncAccount pass, then its own peak memory (so the parent can
// hold the sync to a bound that the test runner's own heap does not blur).
import { connect } from "@/db/connect";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";

const connection = connect({ ...process.env, DATABASE_URL: process.env.SYNC_CHILD_DATABASE_URL });
const started = Date.now();
// Sampled peaks say where the memory went: V8 heap (strings, objects) or Buffers outside it.
const peaks = { heapUsed: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  for (const key of Object.keys(peaks) as (keyof typeof peaks)[]) peaks[key] = Math.max(peaks[key], usage[key]);
}, 20);
const summary = await syncAccount({
  db: connection.db,
  account: process.env.SYNC_CHILD_ACCOUNT_ID!,
  connect: (account) => openAccountConnection(account, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }),
});
await connection.close();
clearInterval(sampler);
const { mailboxes, ...totals } = summary;
process.stdout.write(
  `${JSON.stringify({
    ...totals,
    mailboxes: mailboxes.map((m) => ({ path: m.path, fetched: m.fetched, added: m.added, parseFailures: m.parseFailures, error: m.error ?? null })),
    wallMs: Date.now() - started,
    // Kilobytes on Linux: the resident high-water mark of the whole process, worker threads included.
    maxRssKb: process.resourceUsage().maxRSS,
    peakMb: Object.fromEntries(Object.entries(peaks).map(([key, bytes]) => [key, Math.round(bytes / 1024 / 1024)])),
  })}\n`,
);
