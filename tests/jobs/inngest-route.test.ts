import { afterEach, describe, expect, test } from "vitest";
import { inngestRouteHandlers } from "@/inngest/serve";
import { jobMode } from "@/lib/jobs/job-mode";

// app/api/inngest/route.ts exports exactly these handlers.

const saved = { ...process.env };
afterEach(() => {
  for (const name of ["INNGEST_DEV", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_BASE_URL"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("/api/inngest", () => {
  test("one switch: any Inngest variable means Inngest, none means in-process", () => {
    expect(jobMode({})).toBe("in-process");
    expect(jobMode({ INNGEST_DEV: "1" })).toBe("inngest");
    expect(jobMode({ INNGEST_SIGNING_KEY: "signkey-prod-00" })).toBe("inngest");
    expect(jobMode({ INNGEST_EVENT_KEY: "k" })).toBe("inngest");
    expect(jobMode({ INNGEST_BASE_URL: "http://inngest:8288" })).toBe("inngest");
  });

  test("is closed while jobs run in-process (nothing outside the process may drive the functions)", async () => {
    const route = inngestRouteHandlers();
    const url = "http://localhost:3000/api/inngest";
    for (const method of ["GET", "PUT", "POST"] as const) {
      const response = await route[method](new Request(`${url}?fnId=threadline-sync-account&stepId=step`, { method, body: method === "GET" ? undefined : "{}" }));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: expect.stringMatching(/Inngest is not configured/) });
    }
  });

  test("serves the functions to Inngest once configured", async () => {
    process.env.INNGEST_DEV = "1";
    const response = await inngestRouteHandlers().GET(new Request("http://localhost:3000/api/inngest", { headers: { host: "localhost:3000" } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ function_count: 5, mode: "dev" });
  });
});
