import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { RATE_LIMITS, resetRateLimits, setRateLimitClock } from "@/lib/abuse/rate-limits";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { seedInvitation, seedWorld, signInAs, useAsAppDatabase, type World } from "@/tests/tenancy/support";

vi.mock("@/auth", () => ({
  auth: vi.fn(async () => null),
  signIn: vi.fn(async () => undefined),
  signOut: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn() },
  AuthError: class AuthError extends Error {},
}));

// The request's headers are the only part of Next a server action reads here: the client's address.
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => requestHeaders.current }));

/*
 * Rate limits of the server actions, called the way Next calls them (real guard, real domain code,
 * real database), with a fake clock: invitation links per member and organisation, invitation
 * lookups per client IP, IMAP connection tests per member and organisation, the email sign-in form.
 */

let testDb: TestDatabase;
let releaseAppDatabase = () => {};
let world: World;
let now = Date.parse("2026-11-25T12:00:00Z");

beforeAll(async () => {
  testDb = await createTestDatabase();
  releaseAppDatabase = useAsAppDatabase(testDb);
  world = await seedWorld(testDb.db);
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
  vi.unstubAllEnvs();
  vi.stubEnv("THREADLINE_TRUST_PROXY", "1");
  from("198.51.100.1");
});

function from(ip: string) {
  requestHeaders.current = new Headers({ "x-forwarded-for": ip });
}

describe("invitation links", () => {
  it("creation is limited per member and organisation, with a plain-words error, and recovers", async () => {
    const { createInvitationAction } = await import("@/app/(dashboard)/[slug]/settings/members/actions");
    const create = () => createInvitationAction({ slug: world.a.slug, role: "member", email: "" });
    signInAs(world.a.admin);
    for (let i = 0; i < RATE_LIMITS.invitationCreate.capacity; i++) expect((await create())?.data).toMatchObject({ role: "member" });
    const refused = await create();
    expect(refused?.data).toBeUndefined();
    expect(refused?.serverError).toEqual({ code: "rate_limited", message: "Too many invitations. Try again in 12 s." });

    // The owner of the same organisation is not blocked by the admin's burst.
    signInAs(world.a.owner);
    expect((await create())?.data).toMatchObject({ role: "member" });

    signInAs(world.a.admin);
    now += 12_000;
    expect((await create())?.data).toMatchObject({ role: "member" });
    expect((await create())?.serverError).toMatchObject({ code: "rate_limited" });
  });

  it("acceptance is limited per client IP (token guessing); another IP is not", async () => {
    const { acceptInvitationAction } = await import("@/app/invite/[token]/actions");
    signInAs(world.outsider);
    const guess = (n: number) => acceptInvitationAction({ token: `guessed-token-${String(n).padStart(8, "0")}` });
    for (let i = 0; i < RATE_LIMITS.invitationLookup.capacity; i++) expect((await guess(i))?.serverError).toMatchObject({ code: "not_found" });
    expect((await guess(999))?.serverError).toEqual({ code: "rate_limited", message: "Too many attempts. Try again in 6 s." });

    // Even a real token waits: the limit is on the client, not on wrong guesses.
    const real = await seedInvitation(testDb.db, world.b.id, world.b.owner.id, "member");
    expect((await acceptInvitationAction({ token: real.token }))?.serverError).toMatchObject({ code: "rate_limited" });

    from("198.51.100.2");
    expect((await acceptInvitationAction({ token: real.token }))?.data).toMatchObject({ slug: world.b.slug, role: "member" });

    from("198.51.100.1");
    now += 6_000;
    expect((await guess(1000))?.serverError).toMatchObject({ code: "not_found" });
    expect((await guess(1001))?.serverError).toMatchObject({ code: "rate_limited" });
  });

  it("opening /invite/<token> is limited per client IP too", async () => {
    const { default: InvitePage } = await import("@/app/invite/[token]/page");
    signInAs(null);
    const open = async () => textOf(await InvitePage({ params: Promise.resolve({ token: "x".repeat(43) }), searchParams: Promise.resolve({}) } as never));
    for (let i = 0; i < RATE_LIMITS.invitationLookup.capacity; i++) expect(await open()).toContain("Invitation not found");
    expect(await open()).toContain("Too many attempts. Try again in 6 s.");
    from("198.51.100.3");
    expect(await open()).toContain("Invitation not found");
  });
});

describe("IMAP connection test", () => {
  it("recovers one attempt per refill interval", async () => {
    const { testImapConnectionAction } = await import("@/app/(dashboard)/[slug]/accounts/actions");
    // Loopback is refused before any connection, so the attempts are instant.
    const attempt = async () =>
      ((await testImapConnectionAction({ slug: world.a.slug, settings: { host: "127.0.0.1", port: 993, security: "tls", user: "someone@example.test", password: "secret" } })) as { data?: { reason: string } }).data?.reason;
    signInAs(world.a.member);
    for (let i = 0; i < RATE_LIMITS.imapForm.capacity; i++) expect(await attempt()).toBe("forbidden_host");
    expect(await attempt()).toBe("rate_limited");
    now += 9_000;
    expect(await attempt()).toBe("rate_limited");
    now += 1_000;
    expect(await attempt()).toBe("forbidden_host");
    signInAs(world.a.admin);
    expect(await attempt()).toBe("forbidden_host");
  });
});

describe("email sign-in form", () => {
  it("sends the browser back to the form with the wait in words", async () => {
    const { signInWithEmail } = await import("@/app/login/actions");
    const { default: LoginPage } = await import("@/app/login/page");
    const { signIn } = await import("@/auth");
    const submit = async (email: string) => {
      const form = new FormData();
      form.set("email", email);
      form.set("callbackUrl", "/acme");
      try {
        await signInWithEmail(form);
        return "signed in";
      } catch (error) {
        return String((error as { digest?: string }).digest ?? error);
      }
    };
    for (let i = 0; i < RATE_LIMITS.signInEmail.capacity; i++) expect(await submit("target@example.test")).toBe("signed in");
    const refused = await submit("Target@Example.test");
    expect(refused).toMatch(/NEXT_REDIRECT;replace;\/login\?error=RateLimited&retryAfter=12&callbackUrl=%2Facme;/);
    expect(vi.mocked(signIn)).toHaveBeenCalledTimes(RATE_LIMITS.signInEmail.capacity);
    expect(await submit("someone-else@example.test")).toBe("signed in");

    signInAs(null);
    const page = textOf(await LoginPage({ searchParams: Promise.resolve({ error: "RateLimited", retryAfter: "12" }) } as never));
    expect(page).toContain("Too many attempts. Try again in 12 s.");
  });
});

// The words a server component's element tree would render (strings and string props, depth first).
function textOf(node: unknown, seen = new Set<unknown>()): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (!node || typeof node !== "object" || seen.has(node)) return "";
  seen.add(node);
  if (Array.isArray(node)) return node.map((child) => textOf(child, seen)).join(" ");
  const props = (node as { props?: Record<string, unknown> }).props;
  return props ? Object.values(props).map((value) => textOf(value, seen)).join(" ") : "";
}
