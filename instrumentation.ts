export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Rate limits need the client's address, which Next's request objects do not carry.
  (await import("./lib/abuse/stamp-peer-address")).stampPeerAddresses();
  const { ensureMigrated } = await import("./db");
  await ensureMigrated();
  // Durable jobs (syncs, schedule, IDLE watcher) run in the process that owns the data; see inngest/start-jobs.ts.
  if (process.env.THREADLINE_JOBS !== "off") {
    const { startJobs } = await import("./inngest/start-jobs");
    await startJobs("app").catch((error) => console.error("Background jobs did not start:", error));
  }
}
