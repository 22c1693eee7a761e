import { startJobs } from "@/inngest/start-jobs";

/*
 * `npm run worker`: the background jobs without the web server. In-process mode (no Inngest
 * configured) it runs the durable functions, their schedule and the IDLE watcher; with Inngest it
 * holds the IDLE connections (which a serverless host cannot) and Inngest runs the functions.
 * With a shared Postgres, app and workers elect one leader; the embedded database allows one process.
 */
async function main() {
  let runtime;
  try {
    runtime = await startJobs("worker");
  } catch (error) {
    console.error(`The worker could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.warn(`worker: ${signal}, finishing the steps in flight…`);
    await runtime.stop();
    const { connection } = await import("@/db");
    await connection.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

await main();
