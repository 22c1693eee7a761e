import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { organizations } from "@/db/schema";
import { linkImapAccount } from "@/lib/accounts/link-imap-account";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { tokenRefresher } from "@/lib/oauth/get-fresh-access-token";
import { syncAccount } from "@/lib/sync/sync-account";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, withSeedClient } from "@/tests/support/mail-seed";
import { type OAuthServer, startOAuthServer } from "@/tests/support/oauth-server";
import { findPostgresBin } from "@/tests/support/postgres";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { useAsAppDatabase } from "@/tests/tenancy/support";
import { APP, AuthBrowser } from "./auth-browser";
import { stubLinkingEnv } from "./linking-env";

/*
 * Secrets at rest: after linking a mailbox of every kind (Gmail and Outlook over OAuth, IMAP with a
 * password), a Google sign-in (Auth.js `accounts` row), syncs and token refreshes (rotated refresh
 * tokens included), a full pg_dump of the database contains none of the secrets in clear — not the
 * IMAP password, nor any access, refresh or ID token the OAuth server ever issued.
 */

const run = promisify(execFile);
const IMAP_PASSWORD = "Imap-Pa55word-that-must-never-leak";

let testDb: TestDatabase;
let releaseAppDatabase: () => void;
let oauth: OAuthServer;
let dovecot: DovecotServer;

beforeAll(async () => {
  testDb = await createTestDatabase({ engine: "postgres" });
  releaseAppDatabase = useAsAppDatabase(testDb);
  oauth = await startOAuthServer();
  oauth.setAppUrl(APP);
  dovecot = await startDovecot({
    users: [
      { user: "gina.gmail@example.test", password: "seed-only" },
      { user: "otto.outlook@example.test", password: "seed-only" },
      { user: "ivy.imap@example.test", password: IMAP_PASSWORD },
    ],
    extraPassdbs: [oauth.dovecotPassdb()],
  });
  for (const user of dovecot.users) await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [{ to: user.user }, { to: user.user }]), user);
  stubLinkingEnv(oauth, dovecot);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  releaseAppDatabase?.();
  await Promise.all([oauth?.stop(), dovecot?.stop()]);
  await testDb?.close();
});

it("no password or token appears in clear anywhere in the database", async () => {
  const { handlers } = await import("@/auth");
  const db = testDb.db;

  // A person signing in with Google: Auth.js stores that account's tokens (access, refresh, id).
  const googleUser = new AuthBrowser(handlers as never, oauth.issuer);
  oauth.setMailbox("google", "sam.signin@example.test");
  expect(await googleUser.link("gmail", "x", { callbackPath: "/", scope: "openid email profile" })).toBe(`${APP}/`);
  oauth.setMailbox("google", "gina.gmail@example.test");

  // A local user links Gmail and Outlook over OAuth, and an IMAP mailbox with a password.
  const browser = new AuthBrowser(handlers as never, oauth.issuer);
  await browser.signInLocally("lena.linker@example.test");
  const ids: string[] = [];
  for (const provider of ["gmail", "outlook"] as const) {
    const location = await browser.link(provider, "lena-linker");
    ids.push(location.match(/linked=([0-9a-f-]{36})/)![1]!);
  }
  const session = await browser.session();
  const imap = await linkImapAccount(
    db,
    { orgId: (await orgOf("lena-linker")).id, user: { id: session!.user!.id, email: "lena.linker@example.test", name: null } },
    { host: dovecot.host, port: dovecot.tlsPort, security: "tls", user: "ivy.imap@example.test", password: IMAP_PASSWORD, emailAddress: "ivy.imap@example.test" },
    { tls: { rejectUnauthorized: false } },
  );
  expect(imap.ok).toBe(true);
  if (imap.ok) ids.push(imap.accountId);

  // Syncs, and refreshes (Outlook's rotate the refresh token): every stored token has been replaced at least once.
  for (const id of ids) {
    const summary = await syncAccount({ db, account: id, connect: (a) => openAccountConnection(a, { db, tls: { rejectUnauthorized: false } }) });
    expect(summary.outcome).toBe("success");
  }
  for (const id of ids.slice(0, 2)) await tokenRefresher().getFreshToken(db, id, { force: true });
  expect(oauth.issuedSecrets.size).toBeGreaterThanOrEqual(9);

  const { stdout: dump } = await run(path.join(findPostgresBin(), "pg_dump"), ["--data-only", "--no-owner", testDb.url!], { maxBuffer: 256 * 1024 * 1024 });
  // The dump is real: it holds the linked mailboxes, the synced mail and the ciphertexts.
  expect(dump).toContain("gina.gmail@example.test");
  expect(dump).toContain("otto.outlook@example.test");
  expect(dump).toContain("ivy.imap@example.test");
  expect(dump.match(/tlenc:test:/g)?.length).toBeGreaterThanOrEqual(3 + 2 * 2);

  const secrets = [IMAP_PASSWORD, ...oauth.issuedSecrets];
  const leaked = secrets.filter((secret) => [secret, Buffer.from(secret).toString("hex"), Buffer.from(secret).toString("base64")].some((form) => dump.includes(form)));
  expect(leaked).toEqual([]);
});

async function orgOf(slug: string) {
  const [org] = await testDb.db.select().from(organizations).where(eq(organizations.slug, slug));
  return org!;
}
