import { and, desc, eq, gt } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { mailAccounts, messages, syncRuns } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, withSeedClient } from "@/tests/support/mail-seed";
import { type OAuthServer, startOAuthServer } from "@/tests/support/oauth-server";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { launchChromium, reloadUntil as reloadInPage, screenshot, signInWithEmail } from "./support/browser";
import { ensureProductionBuild, type NextServer, startNextServer } from "./support/next-server";

/*
 * Mailbox linking in a real browser against `next build` + `next start` (on a Postgres the test can
 * read while the app runs), with a real OpenID provider standing in for Google and Microsoft and a
 * Dovecot whose oauth2 passdb asks that provider about every token:
 *
 *  sign in → "Link Gmail" → consent → back on the accounts page → the first sync runs over OAuth
 *  → the access token expires and "Sync now" refreshes it before logging in (stored encrypted)
 *  → the grant is revoked → "Reconnect needed" with the reason, and no more token requests or
 *  logins → "Reconnect" brings it back with its mail. Then Outlook, and the IMAP form (errors,
 *  success, unlink with the mail deleted).
 */

const GINA = "gina.gmail@example.test";
const OTTO = "otto.outlook@example.test";
const IVY = { user: "ivy.imap@example.test", password: "ivy-imap-password" };
// Google-like access tokens live 8 s (less than the five-minute margin, so every sync refreshes
// first); the refresh test waits until the stored one has really expired.
const GOOGLE_TOKEN_TTL_S = 8;

let testDb: TestDatabase;
let oauth: OAuthServer;
let dovecot: DovecotServer;
let server: NextServer;
let browser: Browser;
let page: Page;
let base: string;
let gmailId: string;

beforeAll(async () => {
  ensureProductionBuild();
  testDb = await createTestDatabase({ engine: "postgres" });
  oauth = await startOAuthServer({ accessTokenTtl: { google: GOOGLE_TOKEN_TTL_S } });
  dovecot = await startDovecot({
    users: [
      { user: GINA, password: "seed-only" },
      { user: OTTO, password: "seed-only" },
      IVY,
    ],
    extraPassdbs: [oauth.dovecotPassdb()],
  });
  await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [1, 2, 3].map((n) => ({ subject: `Gmail message ${n}`, to: GINA }))), dovecot.users[0]);
  await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [1, 2].map((n) => ({ subject: `Outlook message ${n}`, to: OTTO }))), dovecot.users[1]);
  await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [{ subject: "IMAP message", to: IVY.user }]), dovecot.users[2]);
  const imapEnv = (prefix: string) => ({ [`${prefix}_HOST`]: dovecot.host, [`${prefix}_PORT`]: String(dovecot.port), [`${prefix}_SECURITY`]: "none" });
  server = await startNextServer({
    DATABASE_URL: testDb.url!,
    AUTH_GOOGLE_ID: oauth.clients.google.id,
    AUTH_GOOGLE_SECRET: oauth.clients.google.secret,
    AUTH_GOOGLE_ISSUER: oauth.issuer,
    AUTH_MICROSOFT_ENTRA_ID_ID: oauth.clients.microsoft.id,
    AUTH_MICROSOFT_ENTRA_ID_SECRET: oauth.clients.microsoft.secret,
    AUTH_MICROSOFT_ENTRA_ID_ISSUER: oauth.issuer,
    ...imapEnv("THREADLINE_GMAIL_IMAP"),
    ...imapEnv("THREADLINE_OUTLOOK_IMAP"),
    // Dovecot is on loopback with a self-signed certificate: test-only allowances.
    THREADLINE_ALLOW_PRIVATE_HOSTS: "1",
    NODE_TLS_REJECT_UNAUTHORIZED: "0",
  });
  base = server.url;
  oauth.setAppUrl(base);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([oauth?.stop(), dovecot?.stop()]);
  await testDb?.close();
});

const row = (email: string) => page.locator(`[data-testid=account-row][data-email="${email}"]`);
const statusOf = (email: string) => row(email).getByTestId("account-status").textContent();

async function account(id: string) {
  const [found] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  return found!;
}

async function messageCount(id: string) {
  return (await testDb.db.select({ id: messages.id }).from(messages).where(eq(messages.accountId, id))).length;
}

/** The newest sync run of the account that started after `since` and finished. */
async function finishedRunSince(id: string, since: Date) {
  const [run] = await testDb.db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.accountId, id), gt(syncRuns.startedAt, since)))
    .orderBy(desc(syncRuns.startedAt))
    .limit(1);
  return run && run.outcome !== "running" ? run : null;
}

function reloadUntil(check: () => Promise<boolean>, timeoutMs = 60_000) {
  return reloadInPage(page, check, { what: "the accounts page", timeoutMs });
}

it("links Gmail through the OAuth consent and syncs it over OAuth", async () => {
  await signInWithEmail(page, base, "erin.e2e@example.test");
  await page.waitForURL(`${base}/erin-e2e`);
  await page.goto(`${base}/erin-e2e/accounts`);
  await expect.poll(() => page.getByRole("heading", { name: "No accounts yet" }).count()).toBe(1);
  await screenshot(page, "linking-01-empty");

  const linkedAt = new Date();
  await page.getByRole("button", { name: "Link Gmail" }).click();
  // Consent at the provider (answered at once by the stand-in), then back here; the page starts the first sync.
  await page.waitForURL(new RegExp(`^${base}/erin-e2e/accounts`));
  await expect.poll(() => row(GINA).count(), { timeout: 30_000 }).toBe(1);
  const [linked] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.emailAddress, GINA));
  gmailId = linked!.id;
  expect(linked).toMatchObject({ provider: "gmail", authKind: "oauth2", imapUser: GINA });
  expect(linked!.encryptedAccessToken).toMatch(/^tlenc:/);
  expect(linked!.encryptedRefreshToken).toMatch(/^tlenc:/);

  await reloadUntil(async () => (await statusOf(GINA)) === "Synced");
  expect(await row(GINA).getByTestId("account-messages").textContent()).toBe("3");
  const run = await finishedRunSince(gmailId, linkedAt);
  expect(run).toMatchObject({ outcome: "success", messagesAdded: 3 });
  // Logged in to Dovecot with a token the provider confirmed (introspection said active).
  expect(oauth.introspections.some((i) => i.active && i.at >= linkedAt.getTime())).toBe(true);
  await screenshot(page, "linking-02-gmail-synced");
});

it("refreshes the expired access token before the next sync and stores it encrypted", async () => {
  const before = await account(gmailId);
  // Wait until the stored token has really expired (the provider calls it inactive from then on).
  await page.waitForTimeout(Math.max(0, before.tokenExpiresAt!.getTime() - Date.now()) + 1_000);
  const refreshesBefore = oauth.tokenRequests.filter((r) => r.grantType === "refresh_token").length;
  const clickedAt = new Date();
  await row(GINA).getByRole("button", { name: "Sync now" }).click();
  await expect.poll(() => finishedRunSince(gmailId, clickedAt), { timeout: 60_000, interval: 500 }).not.toBeNull();
  expect(await finishedRunSince(gmailId, clickedAt)).toMatchObject({ outcome: "success" });

  const refreshes = oauth.tokenRequests.filter((r) => r.grantType === "refresh_token").slice(refreshesBefore);
  expect(refreshes.length).toBeGreaterThanOrEqual(1);
  expect(refreshes.every((r) => r.status === 200 && r.clientId === oauth.clients.google.id)).toBe(true);
  const after = await account(gmailId);
  expect(after.encryptedAccessToken).toMatch(/^tlenc:test:/);
  const token = decryptSecret(after.encryptedAccessToken!);
  expect(token).not.toBe(decryptSecret(before.encryptedAccessToken!));
  expect(oauth.issuedSecrets.has(token)).toBe(true);
  expect(after.tokenExpiresAt!.getTime()).toBeGreaterThan(before.tokenExpiresAt!.getTime());
  // Every login since the click used a live token.
  expect(oauth.introspections.filter((i) => i.at >= clickedAt.getTime()).every((i) => i.active)).toBe(true);
});

it("a revoked grant shows “Reconnect needed” with the reason, and nothing keeps retrying", async () => {
  await oauth.revokeAll();
  const clickedAt = new Date();
  await page.reload();
  await row(GINA).getByRole("button", { name: "Sync now" }).click();
  await reloadUntil(async () => (await statusOf(GINA)) === "Reconnect needed");
  expect(await row(GINA).getByTestId("account-status-reason").textContent()).toMatch(/no longer accepts Threadline's access.*Reconnect it/);
  // The row's actions follow the polled state a moment after the status badge: wait, then count.
  await row(GINA).getByRole("button", { name: "Reconnect" }).first().waitFor({ timeout: 15_000 });
  expect(await row(GINA).getByRole("button", { name: "Reconnect" }).count()).toBe(1);
  expect(await finishedRunSince(gmailId, clickedAt)).toMatchObject({ outcome: "failed", errorKind: "auth" });
  await screenshot(page, "linking-03-reconnect-needed");

  // A window with the app running (scheduler, IDLE watcher, job retries): no token request, no login.
  const [tokens, logins] = [oauth.tokenRequests.length, oauth.introspections.length];
  await page.waitForTimeout(20_000);
  expect([oauth.tokenRequests.length - tokens, oauth.introspections.length - logins]).toEqual([0, 0]);
  expect(await account(gmailId)).toMatchObject({ status: "reconnect_needed", nextSyncAt: null, encryptedRefreshToken: null });
});

it("Reconnect runs the consent again and keeps the synced mail", async () => {
  const clickedAt = new Date();
  await row(GINA).getByRole("button", { name: "Reconnect" }).click();
  await page.waitForURL(new RegExp(`^${base}/erin-e2e/accounts`));
  await expect.poll(() => finishedRunSince(gmailId, clickedAt), { timeout: 60_000, interval: 500 }).not.toBeNull();
  expect(await finishedRunSince(gmailId, clickedAt)).toMatchObject({ outcome: "success", messagesAdded: 0 });
  await reloadUntil(async () => (await statusOf(GINA)) === "Synced");
  const reconnected = await account(gmailId);
  expect(reconnected.status).toBe("active");
  expect(reconnected.encryptedRefreshToken).toMatch(/^tlenc:/);
  expect(await messageCount(gmailId)).toBe(3);
  expect(await testDb.db.select({ id: mailAccounts.id }).from(mailAccounts).where(eq(mailAccounts.emailAddress, GINA))).toHaveLength(1);
});

it("links Outlook the same way", async () => {
  await page.getByRole("button", { name: "Link Outlook" }).click();
  await page.waitForURL(new RegExp(`^${base}/erin-e2e/accounts`));
  await expect.poll(() => row(OTTO).count(), { timeout: 30_000 }).toBe(1);
  await reloadUntil(async () => (await statusOf(OTTO)) === "Synced");
  expect(await row(OTTO).getByTestId("account-messages").textContent()).toBe("2");
  const [outlook] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.emailAddress, OTTO));
  expect(outlook).toMatchObject({ provider: "outlook", authKind: "oauth2" });
  await screenshot(page, "linking-04-outlook");
});

it("the IMAP form explains a wrong password, tests and links a working mailbox, and unlink can delete its mail", async () => {
  await page.getByRole("button", { name: "Add IMAP account" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Provider").selectOption("generic");
  await dialog.getByLabel("Server").fill(dovecot.host);
  await dialog.getByLabel("Port").fill(String(dovecot.tlsPort));
  await dialog.getByLabel("User name").fill(IVY.user);
  await dialog.getByLabel("Password or app password").fill("not-the-password");
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect.poll(() => dialog.getByText(/refused this user name and password/).count(), { timeout: 30_000 }).toBe(1);
  await screenshot(page, "linking-05-imap-wrong-password");

  await dialog.getByLabel("Password or app password").fill(IVY.password);
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect.poll(() => dialog.getByTestId("imap-result").textContent(), { timeout: 30_000 }).toMatch(/Connected\. 6 folders: .*INBOX/);
  await dialog.getByRole("button", { name: "Link mailbox" }).click();
  await expect.poll(() => row(IVY.user).count(), { timeout: 30_000 }).toBe(1);
  await reloadUntil(async () => (await statusOf(IVY.user)) === "Synced");
  const [ivy] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.emailAddress, IVY.user));
  expect(ivy!.encryptedPassword).toMatch(/^tlenc:/);
  expect(await messageCount(ivy!.id)).toBe(1);
  await screenshot(page, "linking-06-three-accounts");

  await row(IVY.user).getByRole("button", { name: `Unlink ${IVY.user}` }).click();
  const confirm = page.getByRole("dialog");
  expect(await confirm.textContent()).toMatch(/Removes 1 message, \d+ folders and the sync history/);
  await confirm.getByTestId("unlink-delete-data").check();
  await screenshot(page, "linking-07-unlink-confirm");
  await confirm.getByRole("button", { name: "Unlink and delete mail" }).click();
  await expect.poll(() => row(IVY.user).count(), { timeout: 30_000 }).toBe(0);
  expect(await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, ivy!.id))).toEqual([]);
  expect(await messageCount(ivy!.id)).toBe(0);
  // The others are untouched.
  expect(await messageCount(gmailId)).toBe(3);
});
