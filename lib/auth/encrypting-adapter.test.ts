import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { authAccounts, memberships, organizations } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { encryptingAdapter } from "./encrypting-adapter";

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.close();
});

it("creates users with a personal organisation and stores provider tokens encrypted", async () => {
  const adapter = encryptingAdapter(testDb.db);
  const user = await adapter.createUser!({ id: "ignored", email: "oauth.person@example.test", emailVerified: null, name: "OAuth Person", image: null });
  const orgs = await testDb.db.select({ slug: organizations.slug, personal: organizations.personal, role: memberships.role }).from(memberships).innerJoin(organizations, eq(organizations.id, memberships.orgId)).where(eq(memberships.userId, user.id));
  expect(orgs).toEqual([{ slug: "oauth-person", personal: true, role: "owner" }]);

  await adapter.linkAccount!({
    userId: user.id,
    type: "oidc",
    provider: "google",
    providerAccountId: "google-123",
    access_token: "ya29.access",
    refresh_token: "1//refresh",
    id_token: "eyJ.id.token",
    expires_at: 1_900_000_000,
    token_type: "bearer",
    scope: "openid email profile",
  });
  const [row] = await testDb.db.select().from(authAccounts).where(eq(authAccounts.providerAccountId, "google-123"));
  for (const column of ["access_token", "refresh_token", "id_token"] as const) expect(row![column]).toMatch(/^tlenc:/);
  expect(decryptSecret(row!.access_token!)).toBe("ya29.access");
  expect(decryptSecret(row!.refresh_token!)).toBe("1//refresh");
  expect(decryptSecret(row!.id_token!)).toBe("eyJ.id.token");

  expect(await adapter.getUserByAccount!({ provider: "google", providerAccountId: "google-123" })).toMatchObject({ id: user.id });
});

it("links an account without tokens (the columns stay empty)", async () => {
  const adapter = encryptingAdapter(testDb.db);
  const user = await adapter.createUser!({ id: "x", email: "no.tokens@example.test", emailVerified: null, name: null, image: null });
  await adapter.linkAccount!({ userId: user.id, type: "oidc", provider: "microsoft-entra-id", providerAccountId: "ms-1" });
  const [row] = await testDb.db.select().from(authAccounts).where(eq(authAccounts.providerAccountId, "ms-1"));
  expect(row).toMatchObject({ access_token: null, refresh_token: null, id_token: null });
});
