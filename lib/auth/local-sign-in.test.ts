import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authAccounts, memberships, organizations, users } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { nameFromEmail } from "./create-user";
import { LocalSignInRefused, localSignInEnabled, signInLocally } from "./local-sign-in";

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.close();
});

async function orgsOf(userId: string) {
  return testDb.db
    .select({ slug: organizations.slug, name: organizations.name, personal: organizations.personal, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId));
}

describe("signInLocally", () => {
  it("creates the user and a personal organisation they own on first sign-in only", async () => {
    const user = await signInLocally(testDb.db, { email: "  Grace.Hopper@Example.TEST " });
    expect(user).toMatchObject({ email: "grace.hopper@example.test", name: "Grace Hopper" });
    expect(await orgsOf(user.id)).toEqual([{ slug: "grace-hopper", name: "Grace Hopper", personal: true, role: "owner" }]);

    const again = await signInLocally(testDb.db, { email: "grace.hopper@example.test" });
    expect(again.id).toBe(user.id);
    expect(await orgsOf(user.id)).toHaveLength(1);
  });

  it("gives namesakes different slugs", async () => {
    const first = await signInLocally(testDb.db, { email: "alan.turing@one.test" });
    const second = await signInLocally(testDb.db, { email: "alan.turing@two.test" });
    const slugs = [...(await orgsOf(first.id)), ...(await orgsOf(second.id))].map((o) => o.slug);
    expect(slugs).toEqual(["alan-turing", "alan-turing-2"]);
  });

  it("handles two first sign-ins with the same address at once", async () => {
    const [a, b] = await Promise.all([signInLocally(testDb.db, { email: "race@example.test" }), signInLocally(testDb.db, { email: "race@example.test" })]);
    expect(a.id).toBe(b.id);
    expect(await testDb.db.select().from(users).where(eq(users.email, "race@example.test"))).toHaveLength(1);
  });

  it("refuses an address whose user signs in with Google or Microsoft", async () => {
    const user = await signInLocally(testDb.db, { email: "linked@example.test" });
    await testDb.db.insert(authAccounts).values({ userId: user.id, type: "oidc", provider: "google", providerAccountId: "g-1", access_token: encryptSecret("t") });
    await expect(signInLocally(testDb.db, { email: "linked@example.test" })).rejects.toBeInstanceOf(LocalSignInRefused);
  });

  it("refuses what is not an email address and creates nothing", async () => {
    const before = await testDb.db.select().from(users);
    for (const email of ["", "nope", "a@", null, 42]) await expect(signInLocally(testDb.db, { email })).rejects.toThrow();
    expect(await testDb.db.select().from(users)).toHaveLength(before.length);
  });
});

describe("localSignInEnabled", () => {
  it("is on outside production, off in production unless THREADLINE_LOCAL_SIGNIN=1", () => {
    const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
    expect(localSignInEnabled(env({ NODE_ENV: "development" }))).toBe(true);
    expect(localSignInEnabled(env({ NODE_ENV: "test" }))).toBe(true);
    expect(localSignInEnabled(env({ NODE_ENV: "production" }))).toBe(false);
    expect(localSignInEnabled(env({ NODE_ENV: "production", THREADLINE_LOCAL_SIGNIN: "true" }))).toBe(false);
    expect(localSignInEnabled(env({ NODE_ENV: "production", THREADLINE_LOCAL_SIGNIN: "1" }))).toBe(true);
  });
});

describe("nameFromEmail", () => {
  it("turns the local part into a name", () => {
    expect(nameFromEmail("ada.lovelace@example.com")).toBe("Ada Lovelace");
    expect(nameFromEmail("j_doe+news@example.com")).toBe("J Doe News");
    expect(nameFromEmail("x@example.com")).toBe("X");
  });
});
