import type { Database } from "@/db/connect";
import { createJobFunctions } from "@/inngest/functions";
import { createServeHandler } from "@/inngest/serve";
import type { RunnerClock } from "@/lib/jobs/in-process/clock";
import { setEventDelivery } from "@/lib/jobs/in-process/event-delivery";
import { InProcessRunner } from "@/lib/jobs/in-process/in-process-runner";
import type { RunSyncStep } from "@/lib/jobs/sync-step";
import type { RefreshAccountToken } from "@/lib/jobs/token-refresher";

/**
 * The app's job functions over a test database, run by the in-process runner exactly as the app
 * runs them (events sent with the app's Inngest client reach this runner).
 */
export async function startTestJobs(options: {
  db: Database;
  runSyncStep: RunSyncStep;
  refreshAccountToken?: RefreshAccountToken;
  clock?: RunnerClock;
  retryDelay?: (attempt: number) => number;
  schedule?: boolean;
  intervalMs?: number;
}) {
  const functions = createJobFunctions({
    db: options.db,
    runSyncStep: options.runSyncStep,
    ...(options.refreshAccountToken ? { refreshAccountToken: options.refreshAccountToken } : {}),
    intervalMs: options.intervalMs,
  });
  const runner = new InProcessRunner({
    handler: createServeHandler(functions),
    clock: options.clock,
    retryDelay: options.retryDelay ?? (() => 5),
    logger: { info() {}, warn() {}, error() {} },
  });
  await runner.start({ schedule: options.schedule ?? false });
  setEventDelivery((events) => runner.send(events));
  return {
    runner,
    stop: async () => {
      setEventDelivery(null);
      await runner.stop({ timeoutMs: 2000 });
    },
  };
}

export function fakeClock(): RunnerClock & { sleeps: number[] } {
  let now = Date.now();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
