import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Connection, connect } from "@/db/connect";
import { mailAccounts, messages } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { claimDueAccounts } from "@/lib/jobs/claim-due-accounts";
import { createTokenRefresher, ReconnectNeededError, tokenRefresher } from "@/lib/oauth/get-fresh-access-token";
import { refreshAccountToken } from "@/lib/oauth/refresh-account-token";
import { OAuthTemporaryError } from "@/lib/oauth/request-token-refresh";
import { syncAccount } from "@/lib/sync/sync-account";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, withSeedClient } from "@/tests/support/mail-seed";
import { type OAuthServer, startOAuthServer } from "@/tests/support/oauth-server";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { useAsAppDatabase } from "@/tests/tenancy/support";
import { APP, AuthBrowser } from "./auth-browser";
import { stubLinkingEnv } from "./linking-env";

/*
 * Fresh tokens: refreshed before an IMAP login when they expire within five minutes, one request
 * however many callers (and processes) ask, rotated refresh tokens kept, and a revoked grant
 * stopping the account for good (reconnect_needed) without further requests. Real parts: the
 * OpenID provider's token and introspection endpoints, Dovecot checking every login, Postgres.
 */

const GINA = "gina.gmail@example.test";
const OTTO = "otto.outlook@example.test";

let testDb: TestDatabase;
let releaseAppDatabase: () => void = () => {};
let oauth: OAuthServer;
let dovecot: DovecotServer;
// Outlook offers XOAUTH2 only, as outlook.office365.com does.
let outlookImap: DovecotServer;
let browser: AuthBrowser;
let gmailId: string;
let outlookId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  releaseAppDatabase = useAsAppDatabase(testDb);
  // Outlook tokens live 4 s, so "expired" is real: the stand-in's introspection calls them inactive.
  oauth = await startOAuthServer({ accessTokenTtl: { microsoft: 4 } });
  oauth.setAppUrl(APP);
  const users = [
    { user: GINA, password: "seed-only" },
    { user: OTTO, password: "seed-only" },
  ];
  [dovecot, outlookImap] = await Promise.all([
    startDovecot({ users, extraPassdbs: [oauth.dovecotPassdb()] }),
    startDovecot({ users, authMechanisms: ["plain", "xoauth2"], extraPassdbs: [oauth.dovecotPassdb(["xoauth2"])] }),
  ]);
  await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [{ subject: "One", to: GINA }, { subject: "Two", to: GINA }]), users[0]);
  await withSeedClient(outlookImap, (c) => appendMessages(c, "INBOX", [{ subject: "Three", to: OTTO }]), users[1]);
  stubLinkingEnv(oauth, dovecot);
  vi.stubEnv("THREADLINE_OUTLOOK_IMAP_PORT", String(outlookImap.port));

  browser = new AuthBrowser((await import("@/auth")).handlers as never, oauth.issuer);
  await browser.signInLocally("rita.refresh@example.test");
  gmailId = linked(await browser.link("gmail", "rita-refresh"));
  outlookId = linked(await browser.link("outlook", "rita-refresh"));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  releaseAppDatabase();
  await Promise.all([oauth?.stop(), dovecot?.stop(), outlookImap?.stop()]);
  await testDb?.close();
});

function linked(location: string): string {
  const id = location.match(/\?linked=([0-9a-f-]{36})$/)?.[1];
  if (!id) throw new Error(`link failed: ${location}`);
  return id;
}

const sync = (accountId: string) => syncAccount({ db: testDb.db, account: accountId, connect: (a) => openAccountConnection(a, { db: testDb.db }) });
const refreshes = () => oauth.tokenRequests.filter((r) => r.grantType === "refresh_token");

async function row(id: string) {
  const [account] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  return account!;
}

async function expireIn(id: string, ms: number) {
  await testDb.db.update(mailAccounts).set({ tokenExpiresAt: new Date(Date.now() + ms) }).where(eq(mailAccounts.id, id));
}

describe("refresh before login", () => {
  it("uses a token with more than five minutes left; refreshes one expiring within five minutes and stores it encrypted", async () => {
    await expireIn(gmailId, 10 * 60_000);
    let before = refreshes().length;
    expect(await sync(gmailId)).toMatchObject({ outcome: "success", added: 2 });
    expect(refreshes().length).toBe(before);

    const old = await row(gmailId);
    await expireIn(gmailId, 4 * 60_000);
    before = refreshes().length;
    expect((await sync(gmailId)).outcome).toBe("success");
    expect(refreshes().slice(before)).toEqual([expect.objectContaining({ clientId: oauth.clients.google.id, status: 200 })]);
    const fresh = await row(gmailId);
    expect(fresh.encryptedAccessToken).toMatch(/^tlenc:/);
    expect(decryptSecret(fresh.encryptedAccessToken!)).not.toBe(decryptSecret(old.encryptedAccessToken!));
    expect(oauth.issuedSecrets.has(decryptSecret(fresh.encryptedAccessToken!))).toBe(true);
    // Google does not rotate: the refresh token stays.
    expect(decryptSecret(fresh.encryptedRefreshToken!)).toBe(decryptSecret(old.encryptedRefreshToken!));
    expect(fresh.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it("refreshes an expired token that IMAP would refuse (Outlook, XOAUTH2), keeping the rotated refresh token", async () => {
    const old = await row(outlookId);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, old.tokenExpiresAt!.getTime() - Date.now()) + 500));
    const introspections = oauth.introspections.length;
    expect(await sync(outlookId)).toMatchObject({ outcome: "success", added: 1 });
    // One login, with the new token (the expired one was never offered).
    expect(oauth.introspections.slice(introspections).map((i) => i.active)).toEqual([true]);
    const fresh = await row(outlookId);
    expect(decryptSecret(fresh.encryptedRefreshToken!)).not.toBe(decryptSecret(old.encryptedRefreshToken!));
    expect(oauth.issuedRefreshTokens).toContain(decryptSecret(fresh.encryptedRefreshToken!));
  });

  it("concurrent callers in one process share one refresh request", async () => {
    await expireIn(gmailId, 60_000);
    const before = refreshes().length;
    const tokens = await Promise.all(Array.from({ length: 8 }, () => tokenRefresher().getFreshToken(testDb.db, gmailId)));
    expect(refreshes().length - before).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it("two processes refresh a rotating account once: the second waits on the row and uses the stored token", async () => {
    // Tokens shorter-lived than the five-minute margin would make every caller refresh; real ones live an hour.
    oauth.setAccessTokenTtl("microsoft", 3600);
    const second: Connection = connect({ ...process.env, DATABASE_URL: testDb.url! });
    try {
      // Two refreshers = two processes' in-flight maps; two connections = two sessions.
      const [a, b] = [createTokenRefresher(), createTokenRefresher()];
      for (let round = 0; round < 3; round++) {
        await expireIn(outlookId, 1_000);
        const before = refreshes().length;
        const [x, y] = await Promise.all([a.getFreshToken(testDb.db, outlookId), b.getFreshToken(second.db, outlookId)]);
        expect(refreshes().slice(before)).toEqual([expect.objectContaining({ status: 200 })]);
        expect(x.accessToken).toBe(y.accessToken);
      }
      // A double refresh would have reused a rotated refresh token and lost the grant.
      expect(oauth.tokenRequests.filter((r) => r.error)).toEqual([]);
      expect((await sync(outlookId)).outcome).toBe("success");
    } finally {
      await second.close();
    }
  });

  it("the refresh job renews tokens expiring within fifteen minutes", async () => {
    await expireIn(gmailId, 12 * 60_000);
    const before = refreshes().length;
    const { expiresAt } = await refreshAccountToken({ db: testDb.db, accountId: gmailId });
    expect(refreshes().length - before).toBe(1);
    expect(expiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it("a token endpoint outage is temporary: the account keeps its tokens and status", async () => {
    await expireIn(gmailId, 60_000);
    const before = await row(gmailId);
    const down = createTokenRefresher({ fetch: async () => new Response("upstream down", { status: 503, headers: { "retry-after": "30" } }) });
    await expect(down.getFreshToken(testDb.db, gmailId)).rejects.toMatchObject({ name: "OAuthTemporaryError", retryAfterMs: 30_000 });
    await expect(down.getFreshToken(testDb.db, gmailId)).rejects.toBeInstanceOf(OAuthTemporaryError);
    expect(await row(gmailId)).toEqual(before);
  });
});

describe("revoked consent", () => {
  it("an expiring token whose grant is gone moves the account to reconnect_needed, with the reason, and nothing retries", async () => {
    await oauth.revokeAll();
    await expireIn(gmailId, 60_000);
    const summary = await sync(gmailId);
    expect(summary).toMatchObject({ outcome: "failed", error: { kind: "auth", retryable: false } });
    const account = await row(gmailId);
    expect(account).toMatchObject({ status: "reconnect_needed", encryptedAccessToken: null, encryptedRefreshToken: null, nextSyncAt: null });
    expect(account.statusReason).toMatch(/^Google no longer accepts Threadline's access to this mailbox.*Reconnect it.*invalid_grant/);

    // Every way in stays closed, and none of them reaches the provider or the IMAP server.
    const [tokenCalls, logins] = [oauth.tokenRequests.length, oauth.introspections.length];
    for (let i = 0; i < 5; i++) expect((await sync(gmailId)).error?.kind).toBe("auth");
    await expect(tokenRefresher().getFreshToken(testDb.db, gmailId)).rejects.toBeInstanceOf(ReconnectNeededError);
    await expect(refreshAccountToken({ db: testDb.db, accountId: gmailId })).rejects.toMatchObject({ syncFailureKind: "auth" });
    await testDb.db.update(mailAccounts).set({ nextSyncAt: null }).where(eq(mailAccounts.id, gmailId));
    expect((await claimDueAccounts(testDb.db, { leaseMs: 60_000 })).map((a) => a.id)).not.toContain(gmailId);
    expect([oauth.tokenRequests.length, oauth.introspections.length]).toEqual([tokenCalls, logins]);
  });

  it("a still-valid token the server refuses gets one refresh, which settles it (reconnect_needed)", async () => {
    // Outlook's grant was revoked above too; its stored token has not expired by our clock.
    await expireIn(outlookId, 30 * 60_000);
    const [tokenCalls, logins] = [oauth.tokenRequests.length, oauth.introspections.length];
    const summary = await sync(outlookId);
    expect(summary.error?.kind).toBe("auth");
    expect(await row(outlookId)).toMatchObject({ status: "reconnect_needed" });
    expect(oauth.introspections.length - logins).toBe(1);
    expect(oauth.tokenRequests.slice(tokenCalls)).toEqual([expect.objectContaining({ grantType: "refresh_token", error: "invalid_grant" })]);
  });

  it("Reconnect (the link flow for that account) brings it back with its synced mail", async () => {
    const messagesBefore = await testDb.db.select({ n: count() }).from(messages).where(eq(messages.accountId, gmailId));
    expect(linked(await browser.link("gmail", "rita-refresh", { accountId: gmailId }))).toBe(gmailId);
    const account = await row(gmailId);
    expect(account).toMatchObject({ status: "active", statusReason: null, consecutiveFailures: 0 });
    expect(account.encryptedRefreshToken).toMatch(/^tlenc:/);
    // Due at once.
    expect(account.nextSyncAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await sync(gmailId)).toMatchObject({ outcome: "success", added: 0 });
    expect(await testDb.db.select({ n: count() }).from(messages).where(eq(messages.accountId, gmailId))).toEqual(messagesBefore);
  });
});
