import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memberships, users } from "@/db/schema";
import { appTestDatabase } from "@/tests/tenancy/support";

/*
 * The real Auth.js handlers from auth.ts (app/api/auth/[...nextauth]), driven with Request objects
 * the way a browser would: CSRF cookie, then the credentials callback, then the session.
 */

const testDb = appTestDatabase();

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function loadHandlers() {
  vi.resetModules();
  return (await import("@/auth")).handlers;
}

const BASE = "http://localhost:3000/api/auth";

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function signInLocally(handlers: Awaited<ReturnType<typeof loadHandlers>>, email: string) {
  const csrf = await handlers.GET(new Request(`${BASE}/csrf`) as never);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await handlers.POST(
    new Request(`${BASE}/callback/local`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
      body: new URLSearchParams({ csrfToken, email, callbackUrl: "http://localhost:3000/" }),
    }) as never,
  );
  return response;
}

describe("local email sign-in", () => {
  it("is offered in development and signs a new user in with a personal organisation", async () => {
    vi.stubEnv("NODE_ENV", "development");
    const handlers = await loadHandlers();
    const providers = await (await handlers.GET(new Request(`${BASE}/providers`) as never)).json();
    expect(Object.keys(providers)).toContain("local");

    const response = await signInLocally(handlers, "New.Person@Example.test");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://localhost:3000/");
    const sessionCookie = cookiesOf(response);
    expect(sessionCookie).toMatch(/authjs\.session-token=/);

    const session = await (await handlers.GET(new Request(`${BASE}/session`, { headers: { cookie: sessionCookie } }) as never)).json();
    const [user] = await testDb.db.select().from(users).where(eq(users.email, "new.person@example.test"));
    expect(session.user).toMatchObject({ id: user!.id, email: "new.person@example.test" });
    expect(await testDb.db.select().from(memberships).where(eq(memberships.userId, user!.id))).toMatchObject([{ role: "owner" }]);
  });

  it("is absent in production and a direct POST creates no session and no user", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AUTH_SECRET", "test-secret-test-secret-test-secret-1234");
    vi.stubEnv("AUTH_TRUST_HOST", "true");
    const handlers = await loadHandlers();
    const providers = await (await handlers.GET(new Request(`${BASE}/providers`) as never)).json();
    expect(Object.keys(providers)).not.toContain("local");

    const response = await signInLocally(handlers, "intruder@example.test");
    expect(cookiesOf(response)).not.toMatch(/session-token=/);
    expect(await testDb.db.select().from(users).where(eq(users.email, "intruder@example.test"))).toEqual([]);
  });

  it("can be turned on in production with THREADLINE_LOCAL_SIGNIN=1", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AUTH_SECRET", "test-secret-test-secret-test-secret-1234");
    vi.stubEnv("AUTH_TRUST_HOST", "true");
    vi.stubEnv("THREADLINE_LOCAL_SIGNIN", "1");
    const handlers = await loadHandlers();
    expect(cookiesOf(await signInLocally(handlers, "operator@example.test"))).toMatch(/session-token=/);
  });

  it("production without AUTH_SECRET fails with a message saying so", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AUTH_SECRET", "");
    const handlers = await loadHandlers();
    await expect(handlers.GET(new Request(`${BASE}/providers`) as never)).rejects.toThrow(/AUTH_SECRET must be set/);
  });
});

describe("OAuth providers", () => {
  it("appear only when configured, with the issuer overridable", async () => {
    vi.stubEnv("NODE_ENV", "development");
    let providers = await (await (await loadHandlers()).GET(new Request(`${BASE}/providers`) as never)).json();
    expect(Object.keys(providers).sort()).toEqual(["local"]);

    vi.stubEnv("AUTH_GOOGLE_ID", "google-client");
    vi.stubEnv("AUTH_GOOGLE_SECRET", "google-secret");
    vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_ID", "ms-client");
    vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_SECRET", "ms-secret");
    vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_ISSUER", "http://127.0.0.1:9/tenant/v2.0");
    providers = await (await (await loadHandlers()).GET(new Request(`${BASE}/providers`) as never)).json();
    expect(Object.keys(providers).sort()).toEqual(["google", "local", "microsoft-entra-id"]);
  });
});
