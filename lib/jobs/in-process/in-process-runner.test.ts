import { Inngest, NonRetriableError, RetryAfterError, type InngestFunction } from "inngest";
import { serve } from "inngest/next";
import { afterEach, describe, expect, test } from "vitest";
import type { RunnerClock } from "./clock";
import { InProcessRunner } from "./in-process-runner";

const runners: InProcessRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ timeoutMs: 1000 })));
});

describe("in-process runner", () => {
  test("runs steps once each, memoising repeated ids, and returns the output", async () => {
    const calls: string[] = [];
    const { runner, client } = await app((c) => [
      c.createFunction({ id: "steps", triggers: [{ event: "t/steps" }] }, async ({ step, event }) => {
        const a = await step.run("load", () => (calls.push("a"), 1));
        const b = await step.run("load", () => (calls.push("b"), 2));
        const [p, q] = await Promise.all([
          step.run("left", () => (calls.push("left"), "L")),
          step.run("right", () => (calls.push("right"), "R")),
        ]);
        return { a, b, p, q, n: event.data.n };
      }),
    ]);
    await client.send({ name: "t/steps", data: { n: 7 } });
    await runner.whenIdle();
    const [run] = runner.runs({ functionId: "steps" });
    expect(run).toMatchObject({ status: "completed", output: { a: 1, b: 2, p: "L", q: "R", n: 7 } });
    expect(calls.sort()).toEqual(["a", "b", "left", "right"]);
  });

  test("retries a failing step with back-off, then succeeds", async () => {
    let tries = 0;
    const clock = fakeClock();
    const delays: number[] = [];
    const { runner, client } = await app(
      (c) => [
        c.createFunction({ id: "flaky", triggers: [{ event: "t/flaky" }], retries: 3 }, async ({ step }) => {
          return step.run("fetch", () => {
            tries++;
            if (tries < 3) throw new Error(`try ${tries}`);
            return "ok";
          });
        }),
      ],
      { clock, retryDelay: (attempt) => (delays.push(attempt), 1000 * 2 ** attempt) },
    );
    await client.send({ name: "t/flaky" });
    await runner.whenIdle();
    expect(runner.runs()[0]).toMatchObject({ status: "completed", output: "ok" });
    expect(tries).toBe(3);
    expect(delays).toEqual([0, 1]);
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  test("gives up after the configured retries and runs onFailure with the error", async () => {
    let tries = 0;
    const failures: unknown[] = [];
    const { runner, client } = await app((c) => [
      c.createFunction(
        {
          id: "doomed",
          triggers: [{ event: "t/doomed" }],
          retries: 2,
          onFailure: async ({ error, event }: { error: Error; event: { data: { event: { data: unknown } } } }) => {
            failures.push({ message: error.message, original: event.data.event.data });
          },
        },
        async ({ step }) => step.run("always", () => {
          tries++;
          throw new Error("still broken");
        }),
      ),
    ]);
    await client.send({ name: "t/doomed", data: { accountId: "a1" } });
    await runner.whenIdle();
    expect(tries).toBe(3);
    expect(runner.runs({ functionId: "doomed" })[0]).toMatchObject({ status: "failed", error: { message: "still broken" } });
    expect(failures).toEqual([{ message: "still broken", original: { accountId: "a1" } }]);
  });

  test("NonRetriableError fails at once; RetryAfterError waits the time the step asks for", async () => {
    const clock = fakeClock();
    let throttled = 0;
    let permanent = 0;
    const { runner, client } = await app(
      (c) => [
        c.createFunction({ id: "permanent", triggers: [{ event: "t/permanent" }], retries: 5 }, async ({ step }) =>
          step.run("login", () => {
            permanent++;
            throw new NonRetriableError("bad password");
          }),
        ),
        c.createFunction({ id: "throttled", triggers: [{ event: "t/throttled" }], retries: 5 }, async ({ step }) =>
          step.run("fetch", () => {
            throttled++;
            if (throttled === 1) throw new RetryAfterError("slow down", 42_000);
            return "done";
          }),
        ),
      ],
      { clock, retryDelay: () => 1 },
    );
    await client.send([{ name: "t/permanent" }, { name: "t/throttled" }]);
    await runner.whenIdle();
    expect(permanent).toBe(1);
    expect(runner.runs({ functionId: "permanent" })[0]).toMatchObject({ status: "failed", error: { message: "bad password" } });
    expect(runner.runs({ functionId: "throttled" })[0]).toMatchObject({ status: "completed", output: "done" });
    expect(clock.sleeps).toContain(42_000);
  });

  test("function-level errors are retried from the memoised state", async () => {
    let steps = 0;
    let bodies = 0;
    const { runner, client } = await app(
      (c) => [
        c.createFunction({ id: "outer", triggers: [{ event: "t/outer" }], retries: 2 }, async ({ step }) => {
          await step.run("once", () => steps++);
          bodies++;
          if (bodies === 1) throw new Error("after the step");
          return bodies;
        }),
      ],
      { retryDelay: () => 1 },
    );
    await client.send({ name: "t/outer" });
    await runner.whenIdle();
    expect(runner.runs()[0]).toMatchObject({ status: "completed", output: 2 });
    expect(steps).toBe(1);
  });

  test("step.sleep waits on the runner's clock", async () => {
    const clock = fakeClock();
    const { runner, client } = await app(
      (c) => [
        c.createFunction({ id: "sleeper", triggers: [{ event: "t/sleep" }] }, async ({ step }) => {
          await step.sleep("nap", "1h");
          await step.sleepUntil("alarm", new Date(clock.now() + 90_000));
          return "awake";
        }),
      ],
      { clock },
    );
    await client.send({ name: "t/sleep" });
    await runner.whenIdle();
    expect(runner.runs()[0]).toMatchObject({ status: "completed", output: "awake" });
    expect(clock.sleeps[0]).toBe(3_600_000);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(89_000);
  });

  test("step.sendEvent and client.send from a step trigger other functions in-process", async () => {
    const seen: unknown[] = [];
    const { runner, client } = await app((c) => [
      c.createFunction({ id: "fan-out", triggers: [{ event: "t/fan" }] }, async ({ step }) => {
        await step.sendEvent("children", [1, 2, 3].map((n) => ({ name: "t/child", data: { n } })));
        await step.run("direct", () => c.send({ name: "t/child", data: { n: 4 } }));
      }),
      c.createFunction({ id: "child", triggers: [{ event: "t/child" }] }, async ({ event }) => {
        seen.push(event.data.n);
      }),
    ]);
    await client.send({ name: "t/fan" });
    await runner.whenIdle();
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
    expect(runner.runs({ functionId: "child" })).toHaveLength(4);
  });

  test("cron functions fire on schedule and on demand", async () => {
    // 1 real ms = 600 runner ms: a minute passes every 100 ms.
    const clock = scaledClock(600);
    let ticks = 0;
    const { runner } = await app(
      (c) => [c.createFunction({ id: "tick", triggers: [{ cron: "* * * * *" }] }, async ({ event }) => {
        ticks++;
        return event.data.cron;
      })],
      { clock, schedule: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(ticks).toBeGreaterThanOrEqual(2);
    runner.triggerCron("tick");
    await runner.whenIdle();
    expect(runner.runs({ functionId: "tick" }).at(-1)).toMatchObject({ status: "completed", output: "* * * * *" });
  });

  test("singleton skip: one run per key at a time, other keys run alongside", async () => {
    const gate = deferred();
    const started: string[] = [];
    const { runner, client } = await app((c) => [
      c.createFunction(
        { id: "single", triggers: [{ event: "t/single" }], singleton: { key: "event.data.accountId", mode: "skip" } },
        async ({ event, step }) => {
          await step.run("work", async () => {
            started.push(event.data.accountId);
            await gate.promise;
          });
        },
      ),
    ]);
    await client.send({ name: "t/single", data: { accountId: "a" } });
    await until(() => started.length === 1);
    await client.send([{ name: "t/single", data: { accountId: "a" } }, { name: "t/single", data: { accountId: "b" } }]);
    await until(() => started.length === 2);
    gate.resolve();
    await runner.whenIdle();
    expect(started.sort()).toEqual(["a", "b"]);
    // Once the first run is over, the key is free again.
    await client.send({ name: "t/single", data: { accountId: "a" } });
    await runner.whenIdle();
    expect(started.filter((s) => s === "a")).toHaveLength(2);
  });

  test("concurrency keys keep steps of the same key from overlapping", async () => {
    let inFlight = 0;
    let peak = 0;
    const { runner, client } = await app((c) => [
      c.createFunction(
        { id: "serial", triggers: [{ event: "t/serial" }], concurrency: [{ key: "event.data.host", limit: 1 }] },
        async ({ step }) => {
          await step.run("work", async () => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 20));
            inFlight--;
          });
        },
      ),
    ]);
    await client.send([1, 2, 3].map(() => ({ name: "t/serial", data: { host: "imap.example" } })));
    await runner.whenIdle();
    expect(runner.runs({ functionId: "serial" }).map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
    expect(peak).toBe(1);
  });

  test("throttle delays run starts beyond the limit per period", async () => {
    const clock = fakeClock();
    const { runner, client } = await app(
      (c) => [
        c.createFunction(
          { id: "throttled", triggers: [{ event: "t/th" }], throttle: { limit: 2, period: "1m", key: "event.data.accountId" } },
          async () => "ran",
        ),
      ],
      { clock },
    );
    await client.send([1, 2, 3].map(() => ({ name: "t/th", data: { accountId: "x" } })));
    await runner.whenIdle();
    const runs = runner.runs({ functionId: "throttled" });
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
    expect(Math.max(...runs.map((r) => r.startedAt!)) - Math.min(...runs.map((r) => r.startedAt!))).toBeGreaterThanOrEqual(60_000);
  });

  test("waitForEvent resumes on a matching later event; invoke returns the child's output", async () => {
    const { runner, client } = await app((c) => {
      const child = c.createFunction({ id: "double", triggers: [{ event: "t/never" }] }, async ({ event }) => Number(event.data.n) * 2);
      const parent = c.createFunction({ id: "parent", triggers: [{ event: "t/parent" }] }, async ({ step, event }) => {
        const approval = await step.waitForEvent("approval", { event: "t/approved", timeout: "1h", match: "data.ticket" });
        const doubled = await step.invoke("double", { function: child, data: { n: 21 } });
        return { approvedBy: approval?.data.by, doubled, ticket: event.data.ticket };
      });
      return [child, parent];
    });
    await client.send({ name: "t/parent", data: { ticket: "T1" } });
    await until(() => runner.runs({ functionId: "parent" })[0]?.status === "waiting");
    await client.send({ name: "t/approved", data: { ticket: "T2", by: "nobody" } });
    await client.send({ name: "t/approved", data: { ticket: "T1", by: "ops" } });
    await runner.whenIdle();
    expect(runner.runs({ functionId: "parent" })[0]).toMatchObject({ status: "completed", output: { approvedBy: "ops", doubled: 42, ticket: "T1" } });
  });

  test("refuses function options it cannot honour", async () => {
    await expect(
      app((c) => [c.createFunction({ id: "limited", triggers: [{ event: "t/x" }], rateLimit: { limit: 1, period: "1m" } }, async () => null)]),
    ).rejects.toThrow(/rateLimit/);
  });
});

/* ---------- helpers ---------- */

type Options = { clock?: RunnerClock; retryDelay?: (attempt: number) => number; schedule?: boolean };

async function app(define: (client: Inngest) => InngestFunction.Any[], options: Options = {}) {
  const ref: { runner?: InProcessRunner } = {};
  const client = new Inngest({
    id: "test-app",
    isDev: true,
    // The SDK logs every step error; the assertions below say what matters.
    logger: { info() {}, warn() {}, error() {}, debug() {} },
    baseUrl: "http://in-process.test",
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const events = JSON.parse(String(init?.body ?? "[]"));
      const { ids } = ref.runner!.send(events);
      return Response.json({ ids, status: 200 });
    }) as typeof fetch,
  });
  const handler = serve({ client, functions: define(client) }) as unknown as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
  const runner = (ref.runner = new InProcessRunner({
    handler: (request) => handler[request.method]!(request, undefined),
    clock: options.clock,
    retryDelay: options.retryDelay ?? (() => 1),
  }));
  runners.push(runner);
  await runner.start({ schedule: options.schedule ?? false });
  return { runner, client };
}

function fakeClock(): RunnerClock & { sleeps: number[] } {
  let now = Date.UTC(2026, 0, 1);
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

function scaledClock(factor: number): RunnerClock {
  const origin = Date.now();
  const base = Date.UTC(2026, 0, 1, 0, 0, 30);
  const now = () => base + (Date.now() - origin) * factor;
  return {
    now,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, ms / factor));
        signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      }),
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
