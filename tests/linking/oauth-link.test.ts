import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authAccounts, mailAccounts, messages, organizations, users } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, withSeedClient } from "@/tests/support/mail-seed";
import { type OAuthServer, startOAuthServer } from "@/tests/support/oauth-server";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { useAsAppDatabase } from "@/tests/tenancy/support";
import { APP, AuthBrowser } from "./auth-browser";
import { stubLinkingEnv } from "./linking-env";

/*
 * "Link Gmail" / "Link Outlook" through the app's real Auth.js handlers, a real OpenID provider
 * standing in for Google and Microsoft, and Dovecot checking the resulting access tokens by
 * introspection: the mailbox lands in the signed-in user's current organisation with encrypted
 * tokens, and syncs over OAuth.
 */

const GINA = "gina.gmail@example.test";
const OTTO = "otto.outlook@example.test";

let testDb: TestDatabase;
let releaseAppDatabase: () => void = () => {};
let oauth: OAuthServer;
let dovecot: DovecotServer;
let handlers: ConstructorParameters<typeof AuthBrowser>[0];

beforeAll(async () => {
  testDb = await createTestDatabase();
  releaseAppDatabase = useAsAppDatabase(testDb);
  oauth = await startOAuthServer();
  oauth.setAppUrl(APP);
  dovecot = await startDovecot({
    users: [
      { user: GINA, password: "seed-only" },
      { user: OTTO, password: "seed-only" },
    ],
    extraPassdbs: [oauth.dovecotPassdb()],
  });
  await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [{ subject: "Gmail one", to: GINA }, { subject: "Gmail two", to: GINA }, { subject: "Gmail three", to: GINA }]), dovecot.users[0]);
  await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [{ subject: "Outlook one", to: OTTO }, { subject: "Outlook two", to: OTTO }]), dovecot.users[1]);
  stubLinkingEnv(oauth, dovecot);
  handlers = (await import("@/auth")).handlers as never;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  releaseAppDatabase();
  await Promise.all([oauth?.stop(), dovecot?.stop()]);
  await testDb?.close();
});

const sync = (accountId: string) => syncAccount({ db: testDb.db, account: accountId, connect: (a) => openAccountConnection(a, { db: testDb.db }) });

async function accountRow(id: string) {
  const [row] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  return row!;
}

async function signedIn(email: string) {
  const browser = new AuthBrowser(handlers, oauth.issuer);
  await browser.signInLocally(email);
  const [user] = await testDb.db.select().from(users).where(eq(users.email, email));
  return { browser, user: user! };
}

function linkedId(location: string, slug: string): string {
  const match = location.match(new RegExp(`^${APP}/${slug}/accounts\\?linked=([0-9a-f-]{36})$`));
  if (!match) throw new Error(`not a successful link: ${location}`);
  return match[1]!;
}

describe("Gmail", () => {
  it("links the mailbox to the signed-in user and organisation with encrypted tokens, and syncs over OAuth", async () => {
    const { browser, user } = await signedIn("pat.person@example.test");
    const location = await browser.link("gmail", "pat-person");
    const id = linkedId(location, "pat-person");

    const row = await accountRow(id);
    const [org] = await testDb.db.select().from(organizations).where(eq(organizations.slug, "pat-person"));
    expect(row).toMatchObject({
      orgId: org!.id,
      userId: user.id,
      provider: "gmail",
      emailAddress: GINA,
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapSecurity: "none",
      imapUser: GINA,
      authKind: "oauth2",
      encryptedPassword: null,
      status: "connecting",
    });
    expect(row.encryptedAccessToken).toMatch(/^tlenc:/);
    expect(row.encryptedRefreshToken).toMatch(/^tlenc:/);
    expect(oauth.issuedSecrets.has(decryptSecret(row.encryptedAccessToken!))).toBe(true);
    expect(oauth.issuedRefreshTokens).toContain(decryptSecret(row.encryptedRefreshToken!));
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    // The session is untouched and no sign-in account was written for the mailbox.
    expect((await browser.session())?.user?.email).toBe("pat.person@example.test");
    expect(await testDb.db.select().from(authAccounts).where(eq(authAccounts.userId, user.id))).toEqual([]);

    const introspectionsBefore = oauth.introspections.length;
    const summary = await sync(id);
    expect(summary.error).toBeUndefined();
    expect(summary).toMatchObject({ outcome: "success", added: 3 });
    expect(oauth.introspections.slice(introspectionsBefore).map((i) => i.active)).toEqual([true]);
    expect(await accountRow(id)).toMatchObject({ status: "active", statusReason: null });
  });

  it("linking the same mailbox again updates the tokens of the same row and keeps its mail", async () => {
    const { browser } = await signedIn("pat.person@example.test");
    const [before] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.emailAddress, GINA));
    const id = linkedId(await browser.link("gmail", "pat-person"), "pat-person");
    expect(id).toBe(before!.id);
    const after = await accountRow(id);
    expect(decryptSecret(after.encryptedAccessToken!)).not.toBe(decryptSecret(before!.encryptedAccessToken!));
    expect(after.status).toBe("active");
    expect(await testDb.db.select({ n: count() }).from(mailAccounts).where(eq(mailAccounts.emailAddress, GINA))).toEqual([{ n: 1 }]);
    expect(await testDb.db.select({ n: count() }).from(messages).where(eq(messages.accountId, id))).toEqual([{ n: 3 }]);
  });

  it("the same mailbox can be linked by another user into another organisation", async () => {
    const { browser } = await signedIn("quinn.other@example.test");
    const id = linkedId(await browser.link("gmail", "quinn-other"), "quinn-other");
    const rows = await testDb.db.select({ id: mailAccounts.id, orgId: mailAccounts.orgId }).from(mailAccounts).where(eq(mailAccounts.emailAddress, GINA));
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.id)).toContain(id);
  });

  it("says so when the user unticked the Gmail permission on the consent screen, and stores nothing", async () => {
    const { browser } = await signedIn("una.ticked@example.test");
    const location = await browser.link("gmail", "una-ticked", { scope: "openid email profile" });
    expect(location).toBe(`${APP}/una-ticked/accounts?linkError=missing_scope&provider=gmail`);
    const [org] = await testDb.db.select().from(organizations).where(eq(organizations.slug, "una-ticked"));
    expect(await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.orgId, org!.id))).toEqual([]);
  });
});

describe("Outlook", () => {
  it("links through Microsoft Entra ID with the IMAP scope, syncs, and stores rotated refresh tokens", async () => {
    const { browser } = await signedIn("pat.person@example.test");
    const id = linkedId(await browser.link("outlook", "pat-person"), "pat-person");
    const row = await accountRow(id);
    expect(row).toMatchObject({ provider: "outlook", emailAddress: OTTO, imapUser: OTTO, authKind: "oauth2" });
    const summary = await sync(id);
    expect(summary).toMatchObject({ outcome: "success", added: 2 });

    // A forced refresh: Microsoft (like the stand-in's client) rotates the refresh token.
    const { tokenRefresher } = await import("@/lib/oauth/get-fresh-access-token");
    const refreshed = await tokenRefresher().getFreshToken(testDb.db, id, { force: true });
    expect(refreshed.refreshed).toBe(true);
    const after = await accountRow(id);
    expect(decryptSecret(after.encryptedRefreshToken!)).not.toBe(decryptSecret(row.encryptedRefreshToken!));
    expect(oauth.issuedRefreshTokens).toContain(decryptSecret(after.encryptedRefreshToken!));
    expect((await sync(id)).outcome).toBe("success");
  });
});

describe("refusals", () => {
  it("links nothing and creates no user without a session", async () => {
    const usersBefore = await testDb.db.select({ n: count() }).from(users);
    const accountsBefore = await testDb.db.select({ n: count() }).from(mailAccounts);
    const location = await new AuthBrowser(handlers, oauth.issuer).link("gmail", "pat-person");
    expect(location).toBe(`${APP}/login?callbackUrl=${encodeURIComponent("/pat-person/accounts")}`);
    expect(await testDb.db.select({ n: count() }).from(users)).toEqual(usersBefore);
    expect(await testDb.db.select({ n: count() }).from(mailAccounts)).toEqual(accountsBefore);
  });

  it("refuses an organisation the user is not a member of, like one that does not exist", async () => {
    const { browser } = await signedIn("mallory.member@example.test");
    const accountsBefore = await testDb.db.select({ n: count() }).from(mailAccounts);
    expect(await browser.link("gmail", "pat-person")).toBe(`${APP}/login?error=AccessDenied`);
    expect(await browser.link("gmail", "no-such-org")).toBe(`${APP}/login?error=AccessDenied`);
    expect(await testDb.db.select({ n: count() }).from(mailAccounts)).toEqual(accountsBefore);
  });

  it("a reconnect that consents with another mailbox changes nothing", async () => {
    const { browser } = await signedIn("pat.person@example.test");
    const [gmail] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.emailAddress, GINA)).limit(1);
    oauth.setMailbox("google", "someone.else@example.test");
    try {
      const location = await browser.link("gmail", "pat-person", { accountId: gmail!.id });
      expect(location).toBe(`${APP}/pat-person/accounts?linkError=wrong_mailbox&provider=gmail&expected=${encodeURIComponent(GINA)}&got=${encodeURIComponent("someone.else@example.test")}`);
    } finally {
      oauth.setMailbox("google", GINA);
    }
    expect(await accountRow(gmail!.id)).toEqual(gmail);
  });

  it("a plain Google sign-in (no link intent) is still a sign-in", async () => {
    const browser = new AuthBrowser(handlers, oauth.issuer);
    oauth.setMailbox("google", "sign.in.only@example.test");
    try {
      const location = await browser.link("gmail", "x", { callbackPath: "/", scope: "openid email profile" });
      expect(location).toBe(`${APP}/`);
    } finally {
      oauth.setMailbox("google", GINA);
    }
    expect((await browser.session())?.user?.email).toBe("sign.in.only@example.test");
    const [user] = await testDb.db.select().from(users).where(eq(users.email, "sign.in.only@example.test"));
    expect(await testDb.db.select({ provider: authAccounts.provider }).from(authAccounts).where(eq(authAccounts.userId, user!.id))).toEqual([{ provider: "google" }]);
  });
});
