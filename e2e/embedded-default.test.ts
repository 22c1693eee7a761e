import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { connect } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, buildMessage, deliverToMaildir, withSeedClient } from "@/tests/support/mail-seed";
import { launchChromium, reloadUntil as reloadInPage, screenshot, signInWithEmail } from "./support/browser";
import { ensureProductionBuild, type NextServer, startNextServer } from "./support/next-server";

/*
 * The default a newcomer gets from `npm install && npm run dev`: no DATABASE_URL and no Inngest, so
 * the embedded PGlite database in the data dir and the in-process job runner (schedule and IDLE
 * watcher). Here over `next build` + `next start`, in a real browser: link an IMAP mailbox through
 * the form, the jobs sync it, its mail is on the home page and in search; mail that arrives later
 * shows up without anyone pressing "Sync now"; after a restart on the same data dir everything is
 * still there, and the stored password is encrypted with the key generated in that data dir.
 */

const EMMA = { user: "emma.embedded@example.test", password: "emma-imap-password" };
// As a newcomer runs it: no encryption keys configured (the test run's own are dropped), so the
// embedded default generates one in the data dir. Dovecot is on loopback with a self-signed
// certificate: test-only allowances.
const APP_ENV = { THREADLINE_ENCRYPTION_KEYS: "", THREADLINE_ALLOW_PRIVATE_HOSTS: "1", NODE_TLS_REJECT_UNAUTHORIZED: "0" };
const SIGN_IN = "emma@example.test";

let dovecot: DovecotServer;
let server: NextServer | undefined;
let browser: Browser;
let page: Page;
let dataDir: string;
let slug = "";

beforeAll(async () => {
  ensureProductionBuild();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-embedded-"));
  dovecot = await startDovecot({ users: [EMMA] });
  deliverToMaildir(
    dovecot,
    "INBOX",
    [
      buildMessage({ from: "Dana Dock <dana@harbour.test>", to: EMMA.user, subject: "Harbour lease", body: "The quayside berth is yours from March.\r\n", messageId: "<lease-1@harbour.test>", date: new Date("2019-12-27T09:00:00Z") }),
      buildMessage({ from: "Dana Dock <dana@harbour.test>", to: EMMA.user, subject: "Re: Harbour lease", body: "Signed copy attached next week.\r\n", inReplyTo: "<lease-1@harbour.test>", date: new Date("2019-12-28T09:00:00Z") }),
    ],
    EMMA.user,
  );
  server = await startNextServer(APP_ENV, { dataDir });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dovecot?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const accountRow = () => page.locator(`[data-testid=account-row][data-email="${EMMA.user}"]`);

it("uses the embedded database and the in-process jobs when nothing is configured", async () => {
  expect(server!.logs()).toContain("jobs: in-process runner");
  expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(true);
});

it("links an IMAP mailbox through the form and the in-process jobs sync it", async () => {
  await signInWithEmail(page, server!.url, SIGN_IN);
  await page.waitForURL((url) => url.pathname.split("/").filter(Boolean).length === 1 && !url.pathname.startsWith("/login"));
  slug = new URL(page.url()).pathname.slice(1);

  await page.goto(`${server!.url}/${slug}/accounts`);
  await page.getByRole("button", { name: "Add IMAP account" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Provider").selectOption("generic");
  await dialog.getByLabel("Server").fill(dovecot.host);
  await dialog.getByLabel("Port").fill(String(dovecot.tlsPort));
  await dialog.getByLabel("User name").fill(EMMA.user);
  await dialog.getByLabel("Password or app password").fill(EMMA.password);
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect.poll(() => dialog.getByTestId("imap-result").textContent(), { timeout: 30_000 }).toMatch(/Connected\./);
  await dialog.getByRole("button", { name: "Link mailbox" }).click();

  await reloadUntil(async () => (await accountRow().getByTestId("account-status").textContent()) === "Synced", 60_000);
  expect(await accountRow().getByTestId("account-messages").textContent()).toBe("2");
  await screenshot(page, "embedded-01-synced");
  // On a 1024-pixel laptop screen the columns beside the address leave it room to be read.
  await page.setViewportSize({ width: 1024, height: 900 });
  const address = accountRow().getByTestId("account-address");
  expect(await address.evaluate((el) => el.scrollWidth <= el.clientWidth && el.clientWidth > 0)).toBe(true);
  await page.setViewportSize({ width: 1360, height: 900 });

  await page.goto(`${server!.url}/${slug}`);
  const recent = page.getByTestId("recent-conversations").getByTestId("conversation-row");
  await expect.poll(() => recent.count()).toBe(1);
  expect(await recent.first().textContent()).toContain("Harbour lease");
  // A date from another year ("28 Dec 2019") stays on one line in the row's date column.
  const date = recent.first().locator("time");
  expect(await date.textContent()).toBe("28 Dec 2019");
  const lineHeight = await date.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect((await date.boundingBox())!.height).toBeLessThan(1.5 * lineHeight);

  await page.goto(`${server!.url}/${slug}/search?q=quayside`);
  await expect.poll(() => page.getByTestId("search-result").count()).toBe(1);
  expect(await page.getByTestId("search-subject").textContent()).toContain("Harbour lease");
});

it("picks up mail that arrives later without anyone asking", async () => {
  await withSeedClient(
    dovecot,
    (client) => appendMessages(client, "INBOX", [{ from: "Dana Dock <dana@harbour.test>", to: EMMA.user, subject: "Breakwater repairs", body: "The breakwater closes on Monday.\r\n" }]),
    EMMA,
  );
  await reloadUntil(async () => {
    await page.goto(`${server!.url}/${slug}/search?q=breakwater`);
    await page.getByTestId("search-count").waitFor();
    return (await page.getByTestId("search-result").count()) === 1;
  }, 60_000);
  expect(await page.getByTestId("search-subject").textContent()).toContain("Breakwater repairs");
});

it("keeps everything across a restart on the same data dir, the IMAP password encrypted at rest", async () => {
  await server!.stop();
  server = undefined;

  // The app is down, so this process may open the embedded database (PGlite allows one at a time).
  const embedded = connect({ ...process.env, DATABASE_URL: undefined, THREADLINE_DATA_DIR: dataDir });
  try {
    const [account] = await queryRows<{ encrypted_password: string; messages: number }>(
      embedded.db,
      sql`select encrypted_password, (select count(*)::int from messages m where m.account_id = a.id) as messages from mail_accounts a where email_address = ${EMMA.user}`,
    );
    expect(account!.messages).toBe(3);
    expect(account!.encrypted_password).toMatch(/^tlenc:/);
    expect(account!.encrypted_password).not.toContain(EMMA.password);
  } finally {
    await embedded.close();
  }
  // The key the embedded default generated for itself, next to the database and nowhere else.
  expect(fs.readdirSync(dataDir)).toContain("encryption-keys");

  server = await startNextServer(APP_ENV, { dataDir });
  // The session cookie was signed with the previous server's AUTH_SECRET: sign in again.
  await signInWithEmail(page, server.url, SIGN_IN);
  await page.waitForURL(`${server.url}/${slug}`);
  await page.goto(`${server.url}/${slug}/accounts`);
  expect(await accountRow().getByTestId("account-messages").textContent()).toBe("3");
  await page.goto(`${server.url}/${slug}/search?q=${encodeURIComponent("quayside OR breakwater")}`);
  await expect.poll(() => page.getByTestId("search-result").count()).toBe(2);

  // The restarted app logs in to the mailbox with the password it decrypts, and keeps it fresh.
  await withSeedClient(dovecot, (client) => appendMessages(client, "INBOX", [{ from: "Dana Dock <dana@harbour.test>", to: EMMA.user, subject: "Mooring fees", body: "The mooring fees rise in April.\r\n" }]), EMMA);
  await reloadUntil(async () => {
    await page.goto(`${server!.url}/${slug}/search?q=mooring`);
    await page.getByTestId("search-count").waitFor();
    return (await page.getByTestId("search-result").count()) === 1;
  }, 60_000);
  await screenshot(page, "embedded-02-after-restart");
});

function reloadUntil(check: () => Promise<boolean>, timeoutMs: number) {
  return reloadInPage(page, check, { what: "the app to show the synced mail", timeoutMs, context: () => `the server said:\n${server?.logs().slice(-4000)}` });
}
