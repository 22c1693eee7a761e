import { type CronSchedule, parseCron } from "./cron";
import { parseDuration } from "./duration";
import { type Expression, compileExpression } from "./expression";

// Inngest's default when a function sets no `retries`: 4 retries, 5 attempts.
const DEFAULT_RETRIES = 4;

export type Trigger =
  | { kind: "event"; event: string; matches: (name: string) => boolean; expression?: Expression }
  | { kind: "cron"; cron: string; schedule: CronSchedule };

export type ConcurrencyLimit = { limit: number; key?: Expression; scope: "fn" | "env" | "account"; keySource: string };

/** One function as the app's serve() handler describes it in its in-band sync answer. */
export type RunnerFunction = {
  // The full id ("<app>-<fn>"), what fnId= carries.
  id: string;
  // The id given to createFunction ("sync-account").
  slug: string;
  name: string;
  triggers: Trigger[];
  maxAttempts: number;
  singleton?: { key?: Expression; mode: "skip" | "cancel" };
  concurrency: ConcurrencyLimit[];
  throttle?: { limit: number; periodMs: number; burst: number; key?: Expression };
};

type RawFunction = {
  id: string;
  name?: string;
  triggers?: { event?: string; expression?: string; cron?: string }[];
  steps?: Record<string, { retries?: { attempts?: number } }>;
  singleton?: { key?: string; mode?: string };
  concurrency?: number | { limit: number; key?: string; scope?: string } | { limit: number; key?: string; scope?: string }[];
  throttle?: { limit: number; period: string; key?: string; burst?: number };
  [option: string]: unknown;
};

// Options whose semantics the runner does not reproduce: refusing them beats running differently.
const UNSUPPORTED = ["rateLimit", "debounce", "batchEvents", "cancel", "timeouts", "idempotency"] as const;

export function parseFunctionConfigs(appId: string, raw: RawFunction[]): RunnerFunction[] {
  return raw.map((fn) => {
    for (const option of UNSUPPORTED) {
      if (fn[option] !== undefined && fn[option] !== null) {
        throw new Error(`Function "${fn.id}" uses ${option}, which the in-process runner does not support; configure Inngest to run it`);
      }
    }
    const retries = fn.steps?.step?.retries?.attempts ?? DEFAULT_RETRIES;
    return {
      id: fn.id,
      slug: fn.id.startsWith(`${appId}-`) ? fn.id.slice(appId.length + 1) : fn.id,
      name: fn.name ?? fn.id,
      triggers: (fn.triggers ?? []).map((t) => parseTrigger(fn.id, t)),
      maxAttempts: retries + 1,
      singleton: fn.singleton
        ? { key: optionalExpression(fn.singleton.key), mode: fn.singleton.mode === "cancel" ? "cancel" : "skip" }
        : undefined,
      concurrency: parseConcurrency(fn.concurrency),
      throttle: fn.throttle
        ? {
            limit: fn.throttle.limit,
            periodMs: parseDuration(fn.throttle.period),
            burst: fn.throttle.burst ?? 1,
            key: optionalExpression(fn.throttle.key),
          }
        : undefined,
    };
  });
}

function parseTrigger(fnId: string, trigger: { event?: string; expression?: string; cron?: string }): Trigger {
  if (trigger.cron) return { kind: "cron", cron: trigger.cron, schedule: parseCron(trigger.cron) };
  if (!trigger.event) throw new Error(`Function "${fnId}" has a trigger with neither event nor cron`);
  const event = trigger.event;
  // "app/*" matches every event under "app/".
  const matches = event.endsWith("*")
    ? (name: string) => name.startsWith(event.slice(0, -1))
    : (name: string) => name === event;
  return { kind: "event", event, matches, expression: optionalExpression(trigger.expression) };
}

function parseConcurrency(raw: RawFunction["concurrency"]): ConcurrencyLimit[] {
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === "number" ? [{ limit: raw }] : Array.isArray(raw) ? raw : [raw];
  return list
    .filter((c) => c.limit > 0)
    .map((c) => ({
      limit: c.limit,
      key: optionalExpression(c.key),
      keySource: c.key ?? "",
      scope: c.scope === "env" || c.scope === "account" ? c.scope : "fn",
    }));
}

function optionalExpression(source: string | undefined): Expression | undefined {
  return source ? compileExpression(source) : undefined;
}
