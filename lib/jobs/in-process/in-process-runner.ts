import crypto from "node:crypto";
import { nextCronTime } from "./cron";
import { type InngestEvent, type RunPhase, type RunResult, type SerializedError, executeRun } from "./execute-run";
import { compileExpression, evaluateKey } from "./expression";
import { type RunnerFunction, parseFunctionConfigs } from "./function-config";
import { KeyedSemaphore, KeyedThrottle } from "./limits";
import { type RunnerClock, defaultRetryDelay, systemClock } from "./clock";

/** The app's own `serve()` handler as a fetch-style function (every method through one entry). */
export type InngestServeHandler = (request: Request) => Promise<Response>;
export type { RunnerClock };
export type RunnerLogger = { info(message: string): void; warn(message: string): void; error(message: string): void };
export type EventInput = { name: string; data?: Record<string, unknown>; id?: string; ts?: number; user?: unknown; v?: string };

export type RunStatus = "queued" | RunPhase | "completed" | "failed" | "cancelled";
export type RunRecord = {
  runId: string;
  // The id given to createFunction ("sync-account"); `fullId` is "<app>-<id>".
  functionId: string;
  fullId: string;
  event: InngestEvent;
  status: RunStatus;
  attempt: number;
  step?: string;
  // When a sleeping / retrying / throttled run resumes.
  until?: number;
  queuedAt: number;
  startedAt?: number;
  finishedAt?: number;
  error?: SerializedError;
  output?: unknown;
};

export type InProcessRunnerOptions = {
  handler: InngestServeHandler;
  // Only used to build Request objects; nothing listens there.
  url?: string;
  clock?: RunnerClock;
  // Delay before retry number `attempt + 1` when the server names none (Retry-After wins).
  retryDelay?: (attempt: number) => number;
  // Steps executing at once across every run (the host is shared with the web server).
  maxConcurrentSteps?: number;
  historyLimit?: number;
  logger?: RunnerLogger;
};

type ActiveRun = { record: RunRecord; abort: AbortController; done: Promise<RunResult> };
type Waiter = { name: string; condition?: (scope: Record<string, unknown>) => unknown; origin: InngestEvent; resolve(event: InngestEvent): void };

export const SCHEDULED_TIMER_EVENT = "inngest/scheduled.timer";
const FUNCTION_FAILED_EVENT = "inngest/function.failed";
const FUNCTION_INVOKED_EVENT = "inngest/function.invoked";

/**
 * Runs the app's Inngest functions inside this process by driving its serve() handler the way the
 * Inngest server does. Runs live in memory: what survives a crash is whatever the steps committed.
 */
export class InProcessRunner {
  private fns: RunnerFunction[] = [];
  private appId = "";
  private readonly active = new Map<string, ActiveRun>();
  private readonly singletons = new Map<string, string>();
  private readonly history: RunRecord[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly semaphore = new KeyedSemaphore();
  private readonly throttle: KeyedThrottle;
  private readonly clock: RunnerClock;
  private readonly url: string;
  private readonly lifetime = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private started = false;

  constructor(private readonly options: InProcessRunnerOptions) {
    this.clock = options.clock ?? systemClock;
    this.url = options.url ?? "http://in-process.threadline.internal/api/inngest";
    this.throttle = new KeyedThrottle({ now: () => this.clock.now(), sleep: (ms) => this.clock.sleep(ms, this.lifetime.signal) });
  }

  /** Learns the functions and their triggers from the handler (in-band sync), then arms the crons. */
  async start(options: { schedule?: boolean } = {}): Promise<void> {
    if (this.started) return;
    const response = await this.options.handler(
      new Request(this.url, {
        method: "PUT",
        headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band", host: new URL(this.url).host },
        body: JSON.stringify({ url: this.url }),
      }),
    );
    if (!response.ok) throw new Error(`Inngest handler refused the in-band sync: HTTP ${response.status} ${await response.text()}`);
    const config = (await response.json()) as { app_id: string; functions: Parameters<typeof parseFunctionConfigs>[1] };
    this.appId = config.app_id;
    this.fns = parseFunctionConfigs(config.app_id, config.functions);
    this.started = true;
    if (options.schedule !== false) for (const fn of this.fns) this.scheduleCrons(fn);
  }

  /** Stops the crons, lets in-flight steps finish (up to `timeoutMs`), then cancels what remains. */
  async stop({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.lifetime.abort();
    const pending = [...this.active.values()].map((run) => run.done);
    const timedOut = await Promise.race([
      Promise.allSettled(pending).then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
    ]);
    if (timedOut) this.options.logger?.warn(`in-process jobs: ${this.active.size} run(s) still in flight at shutdown`);
  }

  get functions(): readonly RunnerFunction[] {
    return this.fns;
  }

  /** What `inngest.send()` ends up calling: starts every function the events trigger, resumes waiters. */
  send(input: EventInput | EventInput[]): { ids: string[] } {
    const events = (Array.isArray(input) ? input : [input]).map(normaliseEvent);
    for (const event of events) {
      for (const waiter of [...this.waiters]) {
        if (waiter.name === event.name && (!waiter.condition || waiter.condition({ event: waiter.origin, async: event }) === true)) {
          this.waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
      for (const fn of this.fns) {
        const triggered = fn.triggers.some(
          (t) => t.kind === "event" && t.matches(event.name) && (!t.expression || t.expression({ event }) === true),
        );
        if (triggered) this.startRun(fn, event);
      }
    }
    return { ids: events.map((e) => e.id) };
  }

  /** Fires a function's cron now, as the scheduler would (start-up catch-up, tests). */
  triggerCron(functionId: string): string | null {
    const fn = this.findFunction(functionId);
    const cron = fn.triggers.find((t) => t.kind === "cron");
    if (!cron || cron.kind !== "cron") throw new Error(`Function "${functionId}" has no cron trigger`);
    return this.startRun(fn, normaliseEvent({ name: SCHEDULED_TIMER_EVENT, data: { cron: cron.cron } }));
  }

  /** Active runs and the most recent finished ones, newest last. */
  runs(filter: { functionId?: string; where?: (run: RunRecord) => boolean } = {}): RunRecord[] {
    const all = [...this.history, ...[...this.active.values()].map((a) => a.record)];
    return all
      .filter((r) => !filter.functionId || r.functionId === filter.functionId || r.fullId === filter.functionId)
      .filter((r) => !filter.where || filter.where(r))
      .map((r) => ({ ...r }));
  }

  /** Resolves once no run is queued or in flight (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private startRun(fn: RunnerFunction, event: InngestEvent): string | null {
    if (this.lifetime.signal.aborted) {
      this.options.logger?.warn(`in-process jobs: stopping, ${fn.slug} not started for ${event.name}`);
      return null;
    }
    const singletonKey = fn.singleton ? `${fn.id}\u0000${evaluateKey(fn.singleton.key, { event })}` : null;
    if (singletonKey) {
      const current = this.singletons.get(singletonKey);
      if (current && this.active.has(current)) {
        if (fn.singleton!.mode === "skip") return null;
        this.active.get(current)!.abort.abort();
      }
    }
    const record: RunRecord = {
      runId: crypto.randomUUID(),
      functionId: fn.slug,
      fullId: fn.id,
      event,
      status: "queued",
      attempt: 0,
      queuedAt: this.clock.now(),
    };
    const abort = new AbortController();
    const done = this.drive(fn, record, abort.signal);
    this.active.set(record.runId, { record, abort, done });
    if (singletonKey) this.singletons.set(singletonKey, record.runId);
    void done.finally(() => {
      this.active.delete(record.runId);
      if (singletonKey && this.singletons.get(singletonKey) === record.runId) this.singletons.delete(singletonKey);
      this.history.push(record);
      const limit = this.options.historyLimit ?? 1000;
      if (this.history.length > limit) this.history.splice(0, this.history.length - limit);
      if (this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
    return record.runId;
  }

  private async drive(fn: RunnerFunction, record: RunRecord, signal: AbortSignal): Promise<RunResult> {
    let result: RunResult;
    try {
      await Promise.resolve();
      if (fn.throttle) {
        const { limit, periodMs, burst, key } = fn.throttle;
        await this.throttle.wait(`${fn.id}\u0000${evaluateKey(key, { event: record.event })}`, limit, periodMs, burst);
      }
      record.startedAt = this.clock.now();
      result = await executeRun({
        runId: record.runId,
        fn,
        event: record.event,
        post: (stepId, body) => this.post(fn, record.event, stepId, body),
        now: () => this.clock.now(),
        sleep: (ms) => this.clock.sleep(ms, anySignal(signal, this.lifetime.signal)),
        retryDelay: this.options.retryDelay ?? defaultRetryDelay,
        waitForEvent: (name, condition, timeoutMs) => this.waitForEvent(record.event, name, condition, timeoutMs, signal),
        invoke: (functionId, data) => this.invoke(functionId, data),
        isCancelled: () => signal.aborted || this.lifetime.signal.aborted,
        onProgress: (progress) => {
          record.status = progress.phase;
          record.step = progress.step;
          record.attempt = progress.attempt;
          record.until = progress.until;
          if (progress.error) record.error = progress.error;
        },
      });
    } catch (error) {
      result = { status: "failed", error: serialise(error) };
    }
    record.status = result.status;
    record.finishedAt = this.clock.now();
    record.until = undefined;
    if (result.status === "completed") {
      record.output = result.output;
      record.error = undefined;
    }
    if (result.status === "failed") {
      record.error = result.error;
      this.options.logger?.error(`in-process jobs: ${fn.slug} run ${record.runId} failed: ${result.error.message}`);
      if (record.event.name !== FUNCTION_FAILED_EVENT) {
        this.send({
          name: FUNCTION_FAILED_EVENT,
          data: { function_id: fn.id, run_id: record.runId, error: result.error, event: record.event },
        });
      }
    }
    return result;
  }

  private async post(fn: RunnerFunction, event: InngestEvent, stepId: string, body: unknown): Promise<Response> {
    const releases: (() => void)[] = [];
    try {
      releases.push(await this.semaphore.acquire("\u0000global", this.options.maxConcurrentSteps ?? 4));
      for (const limit of fn.concurrency) {
        const value = evaluateKey(limit.key, { event });
        const key = limit.scope === "fn" ? `${fn.id}\u0000${value}` : `${limit.scope}\u0000${limit.keySource}\u0000${value}`;
        releases.push(await this.semaphore.acquire(key, limit.limit));
      }
      const url = `${this.url}?fnId=${encodeURIComponent(fn.id)}&stepId=${encodeURIComponent(stepId)}`;
      return await this.options.handler(
        new Request(url, {
          method: "POST",
          headers: { "content-type": "application/json", host: new URL(this.url).host },
          body: JSON.stringify(body),
        }),
      );
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private waitForEvent(origin: InngestEvent, name: string, condition: string | undefined, timeoutMs: number, signal: AbortSignal) {
    return new Promise<InngestEvent | null>((resolve) => {
      const waiter: Waiter = { name, origin, condition: condition ? compileExpression(condition) : undefined, resolve };
      this.waiters.add(waiter);
      void this.clock.sleep(timeoutMs, anySignal(signal, this.lifetime.signal)).then(() => {
        if (this.waiters.delete(waiter)) resolve(null);
      });
    });
  }

  private async invoke(functionId: string, data: unknown): Promise<{ data: unknown } | { error: SerializedError }> {
    const fn = this.findFunction(functionId);
    const runId = this.startRun(fn, normaliseEvent({ name: FUNCTION_INVOKED_EVENT, data: data as Record<string, unknown> }));
    const run = runId ? this.active.get(runId) : undefined;
    if (!run) return { error: { name: "Error", message: `${functionId} was not started (singleton or shutdown)` } };
    const result = await run.done;
    if (result.status === "completed") return { data: result.output };
    return { error: result.status === "failed" ? result.error : { name: "Error", message: "invoked run cancelled" } };
  }

  private scheduleCrons(fn: RunnerFunction) {
    for (const trigger of fn.triggers) {
      if (trigger.kind !== "cron") continue;
      void (async () => {
        const signal = this.lifetime.signal;
        while (!signal.aborted) {
          const now = this.clock.now();
          const next = nextCronTime(trigger.schedule, new Date(now)).getTime();
          await this.clock.sleep(next - now, signal);
          if (signal.aborted) return;
          if (this.clock.now() >= next) this.startRun(fn, normaliseEvent({ name: SCHEDULED_TIMER_EVENT, data: { cron: trigger.cron } }));
        }
      })();
    }
  }

  private findFunction(id: string): RunnerFunction {
    const fn = this.fns.find((f) => f.id === id || f.slug === id || f.id === `${this.appId}-${id}`);
    if (!fn) throw new Error(`No function "${id}" is served (known: ${this.fns.map((f) => f.slug).join(", ")})`);
    return fn;
  }
}

function normaliseEvent(input: EventInput): InngestEvent {
  return { ...input, name: input.name, data: input.data ?? {}, id: input.id ?? crypto.randomUUID(), ts: input.ts ?? Date.now() };
}

function anySignal(...signals: AbortSignal[]): AbortSignal {
  return AbortSignal.any(signals);
}

function serialise(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error) };
}
