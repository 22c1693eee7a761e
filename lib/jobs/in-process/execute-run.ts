import { retryAfterMilliseconds, sleepMilliseconds, parseDuration } from "./duration";
import type { RunnerFunction } from "./function-config";

export type InngestEvent = { name: string; data: Record<string, unknown>; id: string; ts: number; user?: unknown; v?: string };
export type SerializedError = { name: string; message: string; stack?: string; [key: string]: unknown };
export type RunPhase = "running" | "sleeping" | "waiting" | "retrying";
export type RunResult =
  | { status: "completed"; output: unknown }
  | { status: "failed"; error: SerializedError }
  | { status: "cancelled" };

/** What one run needs from the runner; the runner owns transport, limits, timers and the registry. */
export type RunEnvironment = {
  runId: string;
  fn: RunnerFunction;
  event: InngestEvent;
  post(stepId: string, body: unknown): Promise<Response>;
  now(): number;
  // Resolves early (without throwing) when the run is cancelled.
  sleep(ms: number): Promise<void>;
  retryDelay(attempt: number): number;
  waitForEvent(name: string, condition: string | undefined, timeoutMs: number): Promise<InngestEvent | null>;
  invoke(functionId: string, data: unknown): Promise<{ data: unknown } | { error: SerializedError }>;
  isCancelled(): boolean;
  onProgress(progress: { phase: RunPhase; step?: string; attempt: number; error?: SerializedError; until?: number }): void;
};

type Op = { op: string; id: string; name?: string; displayName?: string; data?: unknown; error?: SerializedError; opts?: Record<string, unknown> };
type CallOutcome =
  | { kind: "done"; output: unknown }
  | { kind: "ops"; ops: Op[]; retryAfter: number | null }
  | { kind: "retry"; error: SerializedError; retryAfter: number | null }
  | { kind: "failed"; error: SerializedError };

/**
 * Drives one function run through the SDK's execution protocol, the way the Inngest executor does:
 * memoised step results go back in `steps`, planned steps are called one by one (in parallel when the
 * SDK plans several), sleeps and retries wait on the runner's clock.
 */
export async function executeRun(env: RunEnvironment): Promise<RunResult> {
  const steps: Record<string, unknown> = {};
  const stack: string[] = [];
  const state = { attempt: 0, disableImmediate: false };
  const memoise = (id: string, value: unknown) => {
    steps[id] = value;
    stack.push(id);
  };
  const call = async (stepId: string, attempt: number): Promise<CallOutcome> => {
    const body = {
      event: env.event,
      events: [env.event],
      steps,
      ctx: {
        run_id: env.runId,
        attempt,
        max_attempts: env.fn.maxAttempts,
        disable_immediate_execution: state.disableImmediate,
        use_api: false,
        stack: { stack: [...stack], current: stack.length },
      },
      version: 2,
    };
    return readOutcome(await env.post(stepId, body), env.now());
  };
  const backOff = async (attempt: number, retryAfter: number | null, error: SerializedError, step?: string) => {
    const delay = retryAfter ?? env.retryDelay(attempt);
    env.onProgress({ phase: "retrying", step, attempt: attempt + 1, error, until: env.now() + delay });
    await env.sleep(delay);
  };

  for (;;) {
    if (env.isCancelled()) return { status: "cancelled" };
    env.onProgress({ phase: "running", attempt: state.attempt });
    const outcome = await call("step", state.attempt);
    if (outcome.kind === "done") return { status: "completed", output: outcome.output };
    if (outcome.kind === "failed") return { status: "failed", error: outcome.error };
    if (outcome.kind === "retry") {
      if (state.attempt + 1 >= env.fn.maxAttempts) return { status: "failed", error: outcome.error };
      await backOff(state.attempt, outcome.retryAfter, outcome.error);
      state.attempt++;
      continue;
    }

    const planned = outcome.ops.filter((op) => op.op === "StepPlanned");
    if (planned.length > 1) state.disableImmediate = true;
    let stepError: Op | null = null;
    for (const op of outcome.ops) {
      switch (op.op) {
        case "StepRun":
        case "Step":
          memoise(op.id, { data: op.data ?? null });
          state.attempt = 0;
          break;
        case "StepFailed":
          memoise(op.id, { error: op.error });
          state.attempt = 0;
          break;
        case "StepError":
          stepError = op;
          break;
        case "Sleep": {
          const ms = sleepMilliseconds(op.name ?? "0s", env.now());
          env.onProgress({ phase: "sleeping", step: label(op), attempt: 0, until: env.now() + ms });
          await env.sleep(ms);
          memoise(op.id, { data: null });
          state.attempt = 0;
          break;
        }
        case "WaitForEvent": {
          const timeout = parseDuration(String(op.opts?.timeout ?? "0s"));
          env.onProgress({ phase: "waiting", step: label(op), attempt: 0, until: env.now() + timeout });
          const matched = await env.waitForEvent(op.name ?? "", op.opts?.if as string | undefined, timeout);
          memoise(op.id, { data: matched });
          break;
        }
        case "InvokeFunction": {
          const opts = op.opts as { function_id: string; payload?: { data?: unknown } };
          env.onProgress({ phase: "waiting", step: label(op), attempt: 0 });
          memoise(op.id, await env.invoke(opts.function_id, opts.payload?.data ?? {}));
          break;
        }
        case "RunComplete":
          return { status: "completed", output: op.data ?? null };
        case "StepPlanned":
          break;
        default:
          return { status: "failed", error: { name: "Error", message: `The in-process runner does not support the ${op.op} step (${label(op)})` } };
      }
    }
    if (stepError) {
      await backOff(state.attempt, outcome.retryAfter, stepError.error ?? unknownError(), label(stepError));
      state.attempt++;
      continue;
    }
    // Several planned steps run concurrently; each has its own attempts.
    const results = await Promise.all(planned.map((op) => runPlannedStep(op)));
    for (const [op, value] of results) memoise(op.id, value);
    if (planned.length > 0) state.attempt = 0;
    if (env.isCancelled()) return { status: "cancelled" };
  }

  async function runPlannedStep(op: Op): Promise<[Op, unknown]> {
    for (let attempt = 0; ; attempt++) {
      if (env.isCancelled()) return [op, { error: { name: "Error", message: "run cancelled" } }];
      env.onProgress({ phase: "running", step: label(op), attempt });
      const outcome = await call(op.id, attempt);
      if (outcome.kind === "ops") {
        const result = outcome.ops.find((o) => o.id === op.id) ?? outcome.ops[0];
        if (result?.op === "StepRun" || result?.op === "Step") return [op, { data: result.data ?? null }];
        if (result?.op === "StepFailed") return [op, { error: result.error }];
        if (result?.op === "StepError") {
          await backOff(attempt, outcome.retryAfter, result.error ?? unknownError(), label(op));
          continue;
        }
        return [op, { error: { name: "Error", message: `Step ${label(op)} answered ${result?.op ?? "nothing"}` } }];
      }
      if (outcome.kind === "retry" && attempt + 1 < env.fn.maxAttempts) {
        await backOff(attempt, outcome.retryAfter, outcome.error, label(op));
        continue;
      }
      const error = outcome.kind === "done" ? { name: "Error", message: `Step ${label(op)} returned no op` } : outcome.error;
      return [op, { error }];
    }
  }
}

async function readOutcome(response: Response, now: number): Promise<CallOutcome> {
  const text = await response.text();
  const body = parseJson(text);
  const retryAfter = retryAfterMilliseconds(response.headers.get("retry-after"), now);
  if (response.status === 200) return { kind: "done", output: body ?? null };
  if (response.status === 206) {
    const ops = (Array.isArray(body) ? body : [body]) as Op[];
    return { kind: "ops", ops, retryAfter };
  }
  const error = toError(body, `The function's handler answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  const noRetry = response.headers.get("x-inngest-no-retry");
  if (response.status >= 500 && noRetry !== "true") return { kind: "retry", error, retryAfter };
  return { kind: "failed", error };
}

function toError(body: unknown, fallback: string): SerializedError {
  if (body && typeof body === "object" && "message" in body) {
    const b = body as { name?: string; message: unknown };
    return { ...(body as object), name: b.name ?? "Error", message: String(b.message) };
  }
  if (body && typeof body === "object" && "error" in body) return { name: "Error", message: String((body as { error: unknown }).error) };
  return { name: "Error", message: fallback };
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function label(op: Op): string {
  return op.displayName ?? op.name ?? op.id;
}

function unknownError(): SerializedError {
  return { name: "Error", message: "step failed without an error" };
}
