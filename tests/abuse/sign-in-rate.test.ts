import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as RouteModule from "@/app/api/auth/[...nextauth]/route";
import { RATE_LIMITS, resetRateLimits, setRateLimitClock } from "@/lib/abuse/rate-limits";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { useAsAppDatabase } from "@/tests/tenancy/support";

/*
 * Sign-in rate limits on the real route (app/api/auth/[...nextauth]/route.ts → the real Auth.js
 * handlers → the test database), with a fake clock: the limit trips, says how long to wait, recovers
 * when that time has passed, and one client's burst does not block another.
 */

type Route = typeof RouteModule;

let testDb: TestDatabase;
let releaseAppDatabase = () => {};
let route: Route;
let now = Date.parse("2026-11-25T12:00:00Z");

beforeAll(async () => {
  testDb = await createTestDatabase();
  releaseAppDatabase = useAsAppDatabase(testDb);
  vi.stubEnv("NODE_ENV", "development");
  route = await import("@/app/api/auth/[...nextauth]/route");
});

afterAll(async () => {
  setRateLimitClock(undefined);
  vi.unstubAllEnvs();
  releaseAppDatabase();
  await testDb?.close();
});

beforeEach(() => {
  resetRateLimits();
  setRateLimitClock(() => now);
  vi.stubEnv("THREADLINE_TRUST_PROXY", "1");
});

afterEach(() => vi.unstubAllEnvs());

const BASE = "http://localhost:3000/api/auth";
let counter = 0;
const freshEmail = () => `person-${process.pid}-${++counter}@example.test`;

async function signIn(ip: string, email = freshEmail()): Promise<Response> {
  const csrf = await route.GET(new Request(`${BASE}/csrf`) as never);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return route.POST(
    new Request(`${BASE}/callback/local`, {
      method: "POST",
      // A proxy in front appended the client's address; "spoofed" is what the client claimed.
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": `203.0.113.250, ${ip}` },
      body: new URLSearchParams({ csrfToken, email, callbackUrl: "http://localhost:3000/" }),
    }) as never,
  );
}

const signedIn = (response: Response) => response.status === 302 && /authjs\.session-token=/.test(response.headers.getSetCookie().join(";"));

describe("local email sign-in", () => {
  it("is limited per client IP, answers 429 with Retry-After, and recovers", async () => {
    const { capacity, perMinute } = RATE_LIMITS.signInIp;
    for (let i = 0; i < capacity; i++) expect(signedIn(await signIn("198.51.100.1"))).toBe(true);

    const refused = await signIn("198.51.100.1");
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBe(Math.ceil(60 / perMinute));
    expect(await refused.json()).toEqual({ error: { code: "rate_limited", message: `Too many attempts. Try again in ${wait} s.` } });
    expect(refused.headers.getSetCookie().join(";")).not.toMatch(/session-token/);

    // Another client is not slowed down by the first one's burst.
    expect(signedIn(await signIn("198.51.100.2"))).toBe(true);

    now += (wait - 1) * 1000;
    expect((await signIn("198.51.100.1")).status).toBe(429);
    now += 1000;
    expect(signedIn(await signIn("198.51.100.1"))).toBe(true);
    expect((await signIn("198.51.100.1")).status).toBe(429);
  });

  it("is limited per address, from any IP", async () => {
    const email = freshEmail();
    const { capacity } = RATE_LIMITS.signInEmail;
    for (let i = 0; i < capacity; i++) expect(signedIn(await signIn(`192.0.2.${i + 1}`, email))).toBe(true);
    expect((await signIn("192.0.2.200", email)).status).toBe(429);
    // The same IP signs in as someone else at once; the same address later.
    expect(signedIn(await signIn("192.0.2.200"))).toBe(true);
    now += 60_000;
    expect(signedIn(await signIn("192.0.2.201", email))).toBe(true);
  });

  it("without THREADLINE_TRUST_PROXY, X-Forwarded-For is not believed: a forged address does not buy a fresh bucket", async () => {
    vi.stubEnv("THREADLINE_TRUST_PROXY", undefined);
    const { capacity } = RATE_LIMITS.signInIp;
    const results: number[] = [];
    for (let i = 0; i <= capacity; i++) results.push((await signIn(`10.9.${i}.1`)).status);
    expect(results.slice(0, capacity).every((s) => s === 302)).toBe(true);
    expect(results[capacity]).toBe(429);
  });
});

describe("OAuth sign-in start", () => {
  it("POST and GET /api/auth/signin/<provider> are limited per IP; sessions and CSRF are not", async () => {
    const start = (ip: string) =>
      route.POST(new Request(`${BASE}/signin/google`, { method: "POST", headers: { "x-forwarded-for": ip, "content-type": "application/x-www-form-urlencoded" }, body: "" }) as never);
    const { capacity } = RATE_LIMITS.signInIp;
    for (let i = 0; i < capacity; i++) expect((await start("198.51.100.7")).status).not.toBe(429);
    expect((await start("198.51.100.7")).status).toBe(429);
    expect((await route.GET(new Request(`${BASE}/signin/google`, { headers: { "x-forwarded-for": "198.51.100.7" } }) as never)).status).toBe(429);
    expect((await start("198.51.100.8")).status).not.toBe(429);
    for (let i = 0; i < 5; i++) {
      expect((await route.GET(new Request(`${BASE}/csrf`, { headers: { "x-forwarded-for": "198.51.100.7" } }) as never)).status).toBe(200);
      expect((await route.GET(new Request(`${BASE}/session`, { headers: { "x-forwarded-for": "198.51.100.7" } }) as never)).status).toBe(200);
    }
  });
});
