import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { mailAccounts } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { createTokenRefresher, ReconnectNeededError } from "@/lib/oauth/get-fresh-access-token";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { seedMailAccount, seedWorld, type World } from "@/tests/tenancy/support";

/*
 * The token store on both engines (the embedded PGlite takes the single-process path, Postgres
 * locks the row), with Google's token endpoint mocked at the HTTP boundary: one request for many
 * callers, the answer stored encrypted, invalid_grant → reconnect_needed.
 */

const ENV = { AUTH_GOOGLE_ID: "client-id", AUTH_GOOGLE_SECRET: "client secret+/=" };
let testDb: TestDatabase;
let world: World;

beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await seedWorld(testDb.db);
});

afterAll(async () => {
  await testDb?.close();
});

function googleTokenEndpoint(answer: () => Response) {
  const calls: { url: string; body: string; authorization: string | null }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), body: String(init?.body), authorization: new Headers(init?.headers).get("authorization") });
    await new Promise((resolve) => setTimeout(resolve, 50));
    return answer();
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

async function expiringAccount(email: string) {
  const { id } = await seedMailAccount(testDb.db, world.b.id, world.b.member.id, email);
  await testDb.db.update(mailAccounts).set({ tokenExpiresAt: new Date(Date.now() + 60_000) }).where(eq(mailAccounts.id, id));
  return id;
}

it("many callers, one refresh request to Google's token endpoint; the new token is stored encrypted", async () => {
  const id = await expiringAccount("many@example.test");
  const endpoint = googleTokenEndpoint(() => Response.json({ access_token: "ya29.fresh", expires_in: 3599, token_type: "Bearer", scope: "https://mail.google.com/" }));
  const refresher = createTokenRefresher({ env: ENV, fetch: endpoint.fetch });
  const tokens = await Promise.all(Array.from({ length: 6 }, () => refresher.getFreshToken(testDb.db, id)));
  expect(tokens.map((t) => t.accessToken)).toEqual(Array(6).fill("ya29.fresh"));
  expect(endpoint.calls).toHaveLength(1);
  expect(endpoint.calls[0]!.url).toBe("https://oauth2.googleapis.com/token");
  expect(Object.fromEntries(new URLSearchParams(endpoint.calls[0]!.body))).toEqual({ grant_type: "refresh_token", refresh_token: "seeded-refresh-token" });
  // RFC 6749 §2.3.1: the credentials are form-encoded before Basic.
  expect(Buffer.from(endpoint.calls[0]!.authorization!.replace("Basic ", ""), "base64").toString()).toBe("client-id:client+secret%2B%2F%3D");
  const [row] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  expect(row!.encryptedAccessToken).toMatch(/^tlenc:/);
  expect(decryptSecret(row!.encryptedAccessToken!)).toBe("ya29.fresh");
  // Google did not rotate: the refresh token is the one we had.
  expect(decryptSecret(row!.encryptedRefreshToken!)).toBe("seeded-refresh-token");
  expect(row!.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);

  // Fresh now: no request at all.
  await refresher.getFreshToken(testDb.db, id);
  expect(endpoint.calls).toHaveLength(1);
});

it("invalid_grant puts the account in reconnect_needed with the reason and erases the dead tokens", async () => {
  const id = await expiringAccount("revoked@example.test");
  const endpoint = googleTokenEndpoint(() => Response.json({ error: "invalid_grant", error_description: "Token has been expired or revoked." }, { status: 400 }));
  const refresher = createTokenRefresher({ env: ENV, fetch: endpoint.fetch });
  await expect(refresher.getFreshToken(testDb.db, id)).rejects.toBeInstanceOf(ReconnectNeededError);
  const [row] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  expect(row).toMatchObject({ status: "reconnect_needed", encryptedAccessToken: null, encryptedRefreshToken: null, nextSyncAt: null });
  expect(row!.statusReason).toContain("Token has been expired or revoked.");
  await expect(refresher.getFreshToken(testDb.db, id)).rejects.toBeInstanceOf(ReconnectNeededError);
  expect(endpoint.calls).toHaveLength(1);
});
