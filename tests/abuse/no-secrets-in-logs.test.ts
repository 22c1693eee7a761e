import crypto from "node:crypto";
import util from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mailAccounts, syncRuns } from "@/db/schema";
import type * as AccountActions from "@/app/(dashboard)/[slug]/accounts/actions";
import { encryptSecret, generateKeyEntry, parseKeyRing } from "@/lib/crypto/secret-box";
import { connectImap } from "@/lib/imap/connect-imap";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { tokenRefresher } from "@/lib/oauth/get-fresh-access-token";
import { refreshAccountToken } from "@/lib/oauth/refresh-account-token";
import { syncAccount } from "@/lib/sync/sync-account";
import { runCli } from "@/tests/cli/run-cli";
import { APP, AuthBrowser } from "@/tests/linking/auth-browser";
import { stubLinkingEnv } from "@/tests/linking/linking-env";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { insertMailAccount, insertOrganization } from "@/tests/support/fixtures";
import { appendMessages, withSeedClient } from "@/tests/support/mail-seed";
import { type OAuthServer, startOAuthServer } from "@/tests/support/oauth-server";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { seedWorld, signInAs, useAsAppDatabase, type World } from "@/tests/tenancy/support";

// Auth.js stays real (its handlers sign in and link mailboxes through the OAuth stand-in); only the
// session lookup of server actions is decided by the test.
vi.mock("@/auth", async (importOriginal) => ({ ...(await importOriginal<object>()), auth: vi.fn(async () => null) }));

vi.setConfig({ testTimeout: 120_000 });

/*
 * Secrets never reach logs or error messages. Everything written to the console, stdout and stderr
 * while the paths that handle secrets run is captured — IMAP logins that fail and succeed (password,
 * XOAUTH2), a sync with a bad password, OAuth linking, refresh and a refused refresh, the keys:rotate
 * CLI (its own stdout/stderr), server action results, ImapError messages and causes, and the error
 * text stored in the database — and searched for every known secret in plain, base64 (alone and
 * inside SASL PLAIN / XOAUTH2 / OAUTHBEARER strings), base64url and URL-encoded form.
 */

const WRONG_PASSWORD = `wrong-Pa55-${crypto.randomBytes(6).toString("hex")}`;
const SYNC_WRONG_PASSWORD = `sync-wrong-${crypto.randomBytes(6).toString("hex")}`;
const AUTH_SECRET = crypto.randomBytes(33).toString("base64");
const OLD_KEY = generateKeyEntry("old");
const NEW_KEY = generateKeyEntry("new");
const ROTATED_PLAINTEXT = `rotated-imap-password-${crypto.randomBytes(6).toString("hex")}`;
const GINA = "gina.gmail@example.test";

let testDb: TestDatabase;
let releaseAppDatabase = () => {};
let dovecot: DovecotServer;
let oauth: OAuthServer;
let world: World;
let actions: typeof AccountActions;
// Everything that could carry a secret to a person or a log: captured output and collected texts.
const captured: { where: string; text: string }[] = [];
const restoreCapture: (() => void)[] = [];

beforeAll(async () => {
  captureOutput();
  testDb = await createTestDatabase({ engine: "postgres" });
  releaseAppDatabase = useAsAppDatabase(testDb);
  oauth = await startOAuthServer();
  oauth.setAppUrl(APP);
  // XOAUTH2 only (as Outlook): the SASL string imapflow sends is the base64 of "user=…^Aauth=Bearer <token>^A^A".
  dovecot = await startDovecot({
    users: [
      { user: "alice@example.test", password: "alice-password" },
      { user: GINA, password: "gina-seed-password" },
    ],
    authMechanisms: ["plain", "login", "xoauth2"],
    extraPassdbs: [oauth.dovecotPassdb(["xoauth2"])],
  });
  await withSeedClient(dovecot, (c) => appendMessages(c, "INBOX", [{ subject: "Hello", to: GINA }]), { user: GINA, password: "gina-seed-password" });
  stubLinkingEnv(oauth, dovecot);
  vi.stubEnv("AUTH_SECRET", AUTH_SECRET);
  vi.stubEnv("NODE_TLS_REJECT_UNAUTHORIZED", "0");
  world = await seedWorld(testDb.db);
  actions = await import("@/app/(dashboard)/[slug]/accounts/actions");
}, 120_000);

afterAll(async () => {
  for (const restore of restoreCapture.reverse()) restore();
  vi.unstubAllEnvs();
  releaseAppDatabase();
  await Promise.all([oauth?.stop(), dovecot?.stop()]);
  await testDb?.close();
});

describe("paths that handle secrets", () => {
  it("IMAP form: Test connection and Link with a wrong and a right password (server action results)", async () => {
    signInAs(world.a.member);
    const settings = (password: string) => ({ host: dovecot.host, port: dovecot.port, security: "starttls" as const, user: "alice@example.test", password });
    const results = [
      await actions.testImapConnectionAction({ slug: world.a.slug, settings: settings(WRONG_PASSWORD) }),
      await actions.testImapConnectionAction({ slug: world.a.slug, settings: settings("alice-password") }),
      await actions.linkImapAccountAction({ slug: world.a.slug, settings: settings(WRONG_PASSWORD) }),
      await actions.linkImapAccountAction({ slug: world.a.slug, settings: settings("alice-password") }),
      // Validation errors echo nothing of the input either.
      await actions.testImapConnectionAction({ slug: world.a.slug, settings: { ...settings(WRONG_PASSWORD), port: 0 } }),
    ];
    expect(results.map((r) => (r?.data as { ok?: boolean } | undefined)?.ok)).toEqual([false, true, false, true, undefined]);
    collect("server action results", results);
  });

  it("connectImap: ImapError (message, cause, inspect) for a wrong password; command lines of a good login", async () => {
    const lines: string[] = [];
    const endpoint = { host: dovecot.host, port: dovecot.port, security: "none" as const, user: "alice@example.test" };
    const error = await connectImap(endpoint, { credentials: { kind: "password", password: WRONG_PASSWORD }, onCommand: (line) => lines.push(line) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ImapError", kind: "auth" });
    collect("ImapError", error);
    const client = await connectImap(endpoint, { credentials: { kind: "password", password: "alice-password" }, onCommand: (line) => lines.push(line) });
    await client.logout();
    expect(lines.some((line) => /LOGIN|AUTHENTICATE/i.test(line))).toBe(true);
    collect("IMAP command lines", lines);
  });

  it("a sync with a bad stored password records a failure in words", async () => {
    const org = await insertOrganization(testDb.db);
    const account = await insertMailAccount(testDb.db, org.id, {
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapSecurity: "none",
      imapUser: "alice@example.test",
      encryptedPassword: encryptSecret(SYNC_WRONG_PASSWORD),
    });
    const summary = await syncAccount({ db: testDb.db, account: account.id, connect: (a) => openAccountConnection(a, { db: testDb.db, env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }) });
    expect(summary.outcome).toBe("failed");
    collect("sync summary", summary);
    collect("account row", (await testDb.db.select({ statusReason: mailAccounts.statusReason }).from(mailAccounts).where(eq(mailAccounts.id, account.id)))[0]);
    collect("sync runs", await testDb.db.select({ error: syncRuns.error }).from(syncRuns).where(eq(syncRuns.accountId, account.id)));
  });

  it("OAuth: sign-in, link Gmail, XOAUTH2 sync, then a revoked grant: refused refresh, failed sync", async () => {
    const browser = new AuthBrowser((await import("@/auth")).handlers as never, oauth.issuer);
    await browser.signInLocally("rita.secrets@example.test");
    const location = await browser.link("gmail", "rita-secrets");
    const accountId = location.match(/\?linked=([0-9a-f-]{36})$/)?.[1];
    expect(accountId, location).toBeTruthy();
    const sync = () => syncAccount({ db: testDb.db, account: accountId!, connect: (a) => openAccountConnection(a, { db: testDb.db }) });
    expect(await sync()).toMatchObject({ outcome: "success" });

    // The XOAUTH2 login's command lines (imapflow's debug log) with a good token.
    const lines: string[] = [];
    const { accessToken } = await tokenRefresher().getFreshToken(testDb.db, accountId!);
    const good = await connectImap({ host: dovecot.host, port: dovecot.port, security: "none", user: GINA }, { credentials: { kind: "oauth2", accessToken }, onCommand: (line) => lines.push(line) });
    await good.logout();
    expect(lines.some((line) => /AUTHENTICATE XOAUTH2/i.test(line))).toBe(true);
    collect("XOAUTH2 command lines", lines);

    // A bad token straight at IMAP: the XOAUTH2 failure's error.
    const refused = await connectImap({ host: dovecot.host, port: dovecot.port, security: "none", user: GINA }, { credentials: { kind: "oauth2", accessToken: [...oauth.issuedSecrets][0]! + "x" } }).catch((e: unknown) => e);
    collect("XOAUTH2 refusal", refused);

    await oauth.revokeAll();
    collect("forced refresh after revoke", await tokenRefresher().getFreshToken(testDb.db, accountId!, { force: true }).catch((e: unknown) => e));
    collect("refreshAccountToken after revoke", await refreshAccountToken({ db: testDb.db, accountId: accountId! }).catch((e: unknown) => e));
    const failed = await sync();
    expect(failed.outcome).toBe("failed");
    collect("OAuth sync summary", failed);
    collect("OAuth account row", (await testDb.db.select({ statusReason: mailAccounts.statusReason }).from(mailAccounts).where(eq(mailAccounts.id, accountId!)))[0]);
  });

  it("keys:rotate: a rotation, and one that stops on a secret under a key that is not configured", async () => {
    const org = await insertOrganization(testDb.db);
    await insertMailAccount(testDb.db, org.id, { encryptedPassword: encryptSecret(ROTATED_PLAINTEXT, parseKeyRing(OLD_KEY)) });
    const env = { DATABASE_URL: testDb.url, THREADLINE_DATA_DIR: undefined };
    // The test key (under which the other rows are sealed) is kept in the ring.
    const rotated = await runCli(["keys:rotate"], { ...env, THREADLINE_ENCRYPTION_KEYS: `${NEW_KEY},${OLD_KEY},${process.env.THREADLINE_ENCRYPTION_KEYS}` });
    expect(rotated.code).toBe(0);
    const stopped = await runCli(["keys:rotate"], { ...env, THREADLINE_ENCRYPTION_KEYS: generateKeyEntry("other") });
    expect(stopped.code).not.toBe(0);
    collect("keys:rotate output", [rotated.stdout, rotated.stderr, stopped.stdout, stopped.stderr]);
  });
});

it("no secret appears in anything captured, in any encoding", () => {
  const secrets = knownSecrets();
  expect(secrets.length).toBeGreaterThan(10);
  // The capture works: the paths above did write something (Auth.js, failures).
  expect(captured.length).toBeGreaterThan(5);
  expect(findLeaks(captured, secrets)).toEqual([]);
});

it("the search finds a planted secret in each form (so the test above can fail)", () => {
  const secret: Secret = { name: "planted", value: "ya29.planted-Token_value/+=", user: GINA };
  const sasl = (s: string) => Buffer.from(s).toString("base64");
  const planted = [
    `C: 3 LOGIN "${GINA}" "${secret.value}"`,
    `GET /cb?token=${encodeURIComponent(secret.value)}`,
    `body: a=1&token=${new URLSearchParams({ t: secret.value }).toString().slice(2)}`,
    `C: 2 AUTHENTICATE XOAUTH2 ${sasl(`user=${GINA}\x01auth=Bearer ${secret.value}\x01\x01`)}`,
    `C: 2 AUTHENTICATE OAUTHBEARER ${sasl(`n,a=${GINA},\x01auth=Bearer ${secret.value}\x01\x01`)}`,
    `C: 2 AUTHENTICATE PLAIN ${sasl(`\0${GINA}\0${secret.value}`)}`,
    ...[0, 1, 2].map((shift) => `blob ${sasl(`${"p".repeat(shift + 5)}${secret.value} and more`)}`),
    `jwt ${Buffer.from(`{"t":"${secret.value}"}`).toString("base64url")}`,
    `{"error":"${JSON.stringify(secret.value).slice(1, -1)}"}`,
  ];
  const leaks = findLeaks(planted.map((text, i) => ({ where: `planted ${i}`, text })), [secret]);
  expect(new Set(leaks.map((leak) => leak.match(/in (planted \d+)/)![1]))).toEqual(new Set(planted.map((_, i) => `planted ${i}`)));
  expect(findLeaks([{ where: "clean", text: `C: 3 LOGIN "${GINA}" "(* value hidden *)"` }], [secret])).toEqual([]);
});

function findLeaks(texts: { where: string; text: string }[], secrets: Secret[]): string[] {
  const leaks: string[] = [];
  for (const { where, text } of texts) {
    for (const secret of secrets) for (const [form, value] of encodings(secret)) if (text.includes(value)) leaks.push(`${secret.name} (${form}) in ${where}: …${excerpt(text, value)}…`);
  }
  return leaks;
}

type Secret = { name: string; value: string; user?: string };

function knownSecrets(): Secret[] {
  const keyMaterial = (entry: string) => entry.slice(entry.indexOf(":") + 1);
  const secrets: Secret[] = [
    { name: "IMAP password", value: "alice-password", user: "alice@example.test" },
    { name: "wrong IMAP password", value: WRONG_PASSWORD, user: "alice@example.test" },
    { name: "stored wrong password", value: SYNC_WRONG_PASSWORD, user: "alice@example.test" },
    { name: "rotated plaintext", value: ROTATED_PLAINTEXT },
    { name: "AUTH_SECRET", value: AUTH_SECRET },
    { name: "encryption key (test)", value: keyMaterial(process.env.THREADLINE_ENCRYPTION_KEYS!.split(",")[0]!) },
    { name: "encryption key (old)", value: keyMaterial(OLD_KEY) },
    { name: "encryption key (new)", value: keyMaterial(NEW_KEY) },
    { name: "Google client secret", value: oauth.clients.google.secret },
    { name: "Microsoft client secret", value: oauth.clients.microsoft.secret },
    { name: "Dovecot introspection secret", value: oauth.clients.dovecot.secret },
  ];
  for (const token of oauth.issuedSecrets) secrets.push({ name: `OAuth token ${token.slice(0, 4)}…`, value: token, user: GINA });
  return secrets;
}

/** The forms a secret takes on the wire or in a careless log line. */
function encodings(secret: Secret): [string, string][] {
  const { value, user } = secret;
  const forms: [string, string][] = [
    ["plain", value],
    ["URL-encoded", encodeURIComponent(value)],
    ["form-encoded", new URLSearchParams({ v: value }).toString().slice(2)],
    ["JSON", JSON.stringify(value).slice(1, -1)],
  ];
  for (const core of base64Cores(value)) forms.push(["base64", core]);
  for (const core of base64Cores(value, "base64url")) forms.push(["base64url", core]);
  if (user) {
    forms.push(["SASL PLAIN", Buffer.from(`\0${user}\0${value}`).toString("base64")]);
    forms.push(["SASL PLAIN (authzid)", Buffer.from(`${user}\0${user}\0${value}`).toString("base64")]);
    forms.push(["XOAUTH2", Buffer.from(`user=${user}\x01auth=Bearer ${value}\x01\x01`).toString("base64")]);
    forms.push(["OAUTHBEARER", Buffer.from(`n,a=${user},\x01auth=Bearer ${value}\x01\x01`).toString("base64")]);
  }
  // Short fragments would match by chance; every form here is at least 8 characters.
  return forms.filter(([, form]) => form.length >= 8);
}

// base64 of the secret inside any longer string, at each of the three alignments: the part of the
// encoding that depends on the secret alone.
function base64Cores(value: string, encoding: "base64" | "base64url" = "base64"): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from("\0".repeat(shift) + value).toString(encoding).replace(/=+$/, "");
    const start = shift === 0 ? 0 : 4;
    const end = encoded.length - (encoded.length % 4 === 0 ? 0 : encoded.length % 4) - 4;
    const core = encoded.slice(start, Math.max(start, end));
    if (core.length >= 8) cores.push(core);
  }
  return cores;
}

function collect(where: string, value: unknown) {
  captured.push({ where, text: typeof value === "string" ? value : `${util.inspect(value, { depth: 10, breakLength: Infinity })}\n${safeJson(value)}` });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, cause: v.cause } : v)) ?? "";
  } catch {
    return "";
  }
}

/** Records every console call and every write to stdout/stderr from now on (and still prints them). */
function captureOutput() {
  for (const level of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      captured.push({ where: `console.${level}`, text: util.formatWithOptions({ depth: 10 }, ...args) });
      original.apply(console, args);
    };
    restoreCapture.push(() => (console[level] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push({ where: stream === process.stdout ? "stdout" : "stderr", text: typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8") });
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restoreCapture.push(() => (stream.write = original as typeof stream.write));
  }
}

function excerpt(text: string, value: string): string {
  const at = text.indexOf(value);
  return text.slice(Math.max(0, at - 60), at + value.length + 20).replace(/\s+/g, " ");
}
