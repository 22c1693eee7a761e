import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import Provider from "oidc-provider";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { authAccounts, memberships, organizations, users } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { CookieJar } from "@/tests/support/cookie-jar";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { useAsAppDatabase } from "@/tests/tenancy/support";

/*
 * Google sign-in through the real Auth.js handlers against a real OpenID provider (oidc-provider
 * on loopback, standing in for accounts.google.com via AUTH_GOOGLE_ISSUER): authorize → code →
 * token → user, personal organisation and an `accounts` row whose tokens are encrypted.
 */

const APP = "http://localhost:3000";
let testDb: TestDatabase;
let releaseAppDatabase = () => {};
let issuer: string;
let server: http.Server;

beforeAll(async () => {
  testDb = await createTestDatabase();
  releaseAppDatabase = useAsAppDatabase(testDb);
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "google-client",
        client_secret: "google-secret",
        redirect_uris: [`${APP}/api/auth/callback/google`],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: false,
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 3600, IdToken: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: "gina.google@example.test", email_verified: true, name: "Gina Google" }),
    }),
  });
  const callback = provider.callback();
  // The person at the keyboard: logs in as "google-sub-1" and consents to what was asked.
  server.on("request", async (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return callback(req, res);
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "login") {
      return provider.interactionFinished(req, res, { login: { accountId: "google-sub-1" } }, { mergeWithLastSubmission: false });
    }
    const grant = new provider.Grant({ accountId: "google-sub-1", clientId: "google-client" });
    grant.addOIDCScope(String(details.params.scope));
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  });
  vi.stubEnv("NODE_ENV", "development");
  vi.stubEnv("AUTH_GOOGLE_ID", "google-client");
  vi.stubEnv("AUTH_GOOGLE_SECRET", "google-secret");
  vi.stubEnv("AUTH_GOOGLE_ISSUER", issuer);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server?.close(resolve));
  releaseAppDatabase();
  await testDb?.close();
});

it("signs in with Google: user, personal organisation and encrypted tokens", async () => {
  const { handlers } = await import("@/auth");
  const appJar = new CookieJar();
  const providerJar = new CookieJar();

  const csrf = await handlers.GET(new Request(`${APP}/api/auth/csrf`) as never);
  appJar.store(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await handlers.POST(
    new Request(`${APP}/api/auth/signin/google`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: appJar.header() },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}/` }),
    }) as never,
  );
  appJar.store(start);
  let location = start.headers.get("location")!;
  expect(location.startsWith(`${issuer}/auth?`)).toBe(true);

  // Walk the provider's redirects (authorize → login → consent → back to the app).
  for (let hop = 0; hop < 10 && location.startsWith(issuer); hop++) {
    const response = await fetch(location, { redirect: "manual", headers: { cookie: providerJar.header() } });
    providerJar.store(response);
    location = new URL(response.headers.get("location")!, location).toString();
  }
  expect(location.startsWith(`${APP}/api/auth/callback/google?`)).toBe(true);

  const done = await handlers.GET(new Request(location, { headers: { cookie: appJar.header() } }) as never);
  expect(done.status).toBe(302);
  expect(done.headers.get("location")).toBe(`${APP}/`);
  appJar.store(done);
  expect(appJar.header()).toMatch(/authjs\.session-token=/);

  const [user] = await testDb.db.select().from(users).where(eq(users.email, "gina.google@example.test"));
  expect(user).toMatchObject({ name: "Gina Google", image: null });
  const orgs = await testDb.db.select({ slug: organizations.slug, role: memberships.role }).from(memberships).innerJoin(organizations, eq(organizations.id, memberships.orgId)).where(eq(memberships.userId, user!.id));
  expect(orgs).toEqual([{ slug: "gina-google", role: "owner" }]);

  const [account] = await testDb.db.select().from(authAccounts).where(eq(authAccounts.userId, user!.id));
  expect(account).toMatchObject({ provider: "google", providerAccountId: "google-sub-1" });
  expect(account!.access_token).toMatch(/^tlenc:/);
  expect(account!.id_token).toMatch(/^tlenc:/);
  expect(decryptSecret(account!.id_token!).split(".")).toHaveLength(3);

  const session = await (await handlers.GET(new Request(`${APP}/api/auth/session`, { headers: { cookie: appJar.header() } }) as never)).json();
  expect(session.user).toMatchObject({ id: user!.id, email: "gina.google@example.test" });
});
