import type { Database } from "@/db/connect";
import { JOB_FUNCTIONS } from "./events";
import { IdleWatcher, type IdleWatcherOptions } from "./idle/idle-watcher";
import { setEventDelivery } from "./in-process/event-delivery";
import { type InngestServeHandler, InProcessRunner, type RunnerLogger } from "./in-process/in-process-runner";
import { type JobMode, jobMode } from "./job-mode";
import { type Leadership, startLeadership } from "./jobs-leadership";

export type JobRuntime = {
  mode: JobMode;
  role: "app" | "worker";
  isLeader(): boolean;
  runner(): InProcessRunner | null;
  watcher(): IdleWatcher | null;
  stop(): Promise<void>;
};

export type JobRuntimeOptions = {
  role: "app" | "worker";
  // The app's own serve() handler (inngest/serve.ts).
  handler: InngestServeHandler;
  db: Database;
  requestSync: IdleWatcherOptions["requestSync"];
  env?: Record<string, string | undefined>;
  logger?: RunnerLogger;
  watcher?: Partial<Omit<IdleWatcherOptions, "db" | "requestSync">>;
};

const holder = globalThis as unknown as { threadlineJobRuntime?: JobRuntime | null };

/** The background jobs this process started (null: none, e.g. the CLI). */
export function getJobRuntime(): JobRuntime | null {
  return holder.threadlineJobRuntime ?? null;
}

/**
 * Starts this process's background work. In-process mode: the runner (functions, crons, retries)
 * and the IDLE watcher. Inngest mode: only the watcher (Inngest runs the functions through the
 * route). With a shared Postgres only one process (app or worker) leads; the others forward the
 * events they send to it. With embedded PGlite this process owns the database, so it leads.
 */
export async function startJobRuntime(options: JobRuntimeOptions): Promise<JobRuntime> {
  const env = options.env ?? process.env;
  const mode = jobMode(env);
  const logger = options.logger ?? consoleLogger;
  const watcherEnabled = env.THREADLINE_IDLE_WATCHER !== "0";
  let runner: InProcessRunner | null = null;
  let watcher: IdleWatcher | null = null;
  let leadership: Leadership | null = null;

  const lead = async () => {
    if (mode === "in-process") {
      runner = new InProcessRunner({
        handler: options.handler,
        logger,
        maxConcurrentSteps: Number(env.THREADLINE_JOB_CONCURRENCY ?? 4) || 4,
      });
      await runner.start();
      const current = runner;
      setEventDelivery((events) => current.send(events));
      // Catch up on whatever came due while no process ran the jobs.
      runner.triggerCron(JOB_FUNCTIONS.scheduleSyncs);
    }
    if (watcherEnabled) {
      watcher = new IdleWatcher({ ...options.watcher, db: options.db, requestSync: options.requestSync, logger });
      // Connections open in the background; start() only reads the account list.
      await watcher.start().catch((error) => logger.error(`idle watcher did not start: ${(error as Error).message}`));
    }
  };
  const follow = async () => {
    const [r, w] = [runner, watcher];
    runner = null;
    watcher = null;
    if (mode === "in-process") setEventDelivery(leadership ? (events) => leadership!.forward(events) : null);
    await Promise.all([r?.stop(), w?.stop()]);
  };

  if (env.DATABASE_URL) {
    leadership = await startLeadership({
      url: env.DATABASE_URL,
      onLead: lead,
      onFollow: follow,
      onEvents: (events) => runner?.send(events),
      logger,
    });
    if (!leadership.isLeader() && mode === "in-process") setEventDelivery((events) => leadership!.forward(events));
  } else {
    await lead();
  }

  const runtime: JobRuntime = {
    mode,
    role: options.role,
    isLeader: () => (leadership ? leadership.isLeader() : true),
    runner: () => runner,
    watcher: () => watcher,
    stop: async () => {
      if (leadership) await leadership.stop();
      else await follow();
      setEventDelivery(null);
      if (holder.threadlineJobRuntime === runtime) holder.threadlineJobRuntime = null;
    },
  };
  holder.threadlineJobRuntime = runtime;
  logger.info(
    `jobs: ${mode === "in-process" ? "in-process runner" : "Inngest"}${watcherEnabled ? " + IDLE watcher" : ""} (${options.role}${leadership && !leadership.isLeader() ? ", standing by: another process leads" : ""})`,
  );
  return runtime;
}

const consoleLogger: RunnerLogger = {
  info: (message) => console.warn(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};
