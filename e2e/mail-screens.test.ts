import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { and, eq, sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mailAccounts, mailboxes, memberships, messages, organizations, remoteImageSenders, users } from "@/db/schema";
import { addImapAccount } from "@/lib/imap/add-imap-account";
import { syncAccount } from "@/lib/sync/sync-account";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, withSeedClient } from "@/tests/support/mail-seed";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { launchChromium, mailFrame, screenshot, signInWithEmail } from "./support/browser";
import { ensureProductionBuild, type NextServer, startNextServer } from "./support/next-server";

/*
 * The everyday screens in a real browser over `next build` + `next start` on the test run's Postgres,
 * with mail synced from a real Dovecot by the same code the app uses (addImapAccount + syncAccount):
 * home, contacts, a contact's timeline, a company, conversations, and contact settings. The hostile
 * HTML mail carries a script, an onerror handler, SVG, a form, an iframe, a meta refresh, a base tag,
 * CSS url() and a remote image pointing at a local server that records every request: nothing may
 * run or load until the reader clicks "Show images", and then exactly that image loads.
 */

let dovecot: DovecotServer;
let testDb: TestDatabase;
let server: NextServer;
let browser: Browser;
let page: Page;
let pixel: { url: string; hits: string[]; close: () => Promise<void> };
let slug = "";
let orgId = "";
const EMAIL = "alice@example.test";

beforeAll(async () => {
  vi.stubEnv("THREADLINE_ALLOW_PRIVATE_HOSTS", "1");
  ensureProductionBuild();
  [dovecot, testDb, pixel] = await Promise.all([startDovecot(), createTestDatabase({ engine: "postgres" }), startPixelServer()]);
  server = await startNextServer({ DATABASE_URL: testDb.url!, THREADLINE_JOBS: "off", THREADLINE_ALLOW_PRIVATE_HOSTS: "1" });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 820 } })).newPage();

  await seedMailbox(dovecot, pixel.url);
  // Signing in creates Alice and her personal organisation; her mailbox is then linked and synced.
  await signInWithEmail(page, server.url, EMAIL);
  await page.waitForURL((url) => url.pathname.split("/").filter(Boolean).length === 1 && !url.pathname.startsWith("/login"));
  const [org] = await testDb.db
    .select({ id: organizations.id, slug: organizations.slug, userId: users.id })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.orgId, organizations.id))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(users.email, EMAIL), eq(organizations.personal, true)));
  slug = org!.slug;
  orgId = org!.id;
  const account = await addImapAccount(testDb.db, {
    orgId,
    userId: org!.userId,
    host: "127.0.0.1",
    port: dovecot.port,
    security: "none",
    user: EMAIL,
    password: "alice-password",
    emailAddress: EMAIL,
    env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" },
  });
  const summary = await syncAccount({ db: testDb.db, account: account.id });
  expect(summary.outcome).toBe("success");
  expect(summary.added).toBe(9);
  await seedOtherMailboxStates(testDb, orgId, org!.userId);
}, 600_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await browser?.close();
  await server?.stop();
  await Promise.all([dovecot?.stop(), testDb?.close(), pixel?.close()]);
});

describe("mail screens", () => {
  it("home: recent conversations, mailboxes needing attention, the sync line", async () => {
    await page.goto(`${server.url}/${slug}`);
    const recent = page.getByTestId("recent-conversations").getByTestId("conversation-row");
    await expect.poll(() => recent.count()).toBeGreaterThanOrEqual(5);
    expect(await recent.first().textContent()).toContain("Partnership intro");
    expect(await page.getByTestId("recent-conversations").textContent()).toContain("Quarterly plan");
    expect(await page.getByTestId("attention-account").textContent()).toContain("alice@old-job.test");
    expect(await page.getByTestId("sync-status-line").textContent()).toMatch(/Syncing.*alice\.archive@example\.test.*1,204 of 5,000/);
    await screenshot(page, "mail-01-home");
  });

  it("contacts: bulk hidden by default, filter, sort and j/k/Enter, all in the URL", async () => {
    await page.goto(`${server.url}/${slug}/contacts`);
    const rows = page.getByTestId("contact-row");
    await expect.poll(() => rowEmails(page)).toEqual(
      expect.arrayContaining(["bob@acme.test", "carol@acme.test", "mallory@evil.test", "dana@gmail.com", "erin@globex.test", "frank@globex.test"]),
    );
    expect(await rowEmails(page)).not.toContain("news@newsletter.test");
    expect(await rowEmails(page)).not.toContain(EMAIL);
    // Free mail has no company.
    expect(await page.locator('[data-email="dana@gmail.com"] td').nth(2).textContent()).toBe("—");
    expect(await page.locator('[data-email="bob@acme.test"] td').nth(2).textContent()).toBe("acme.test");
    await screenshot(page, "mail-02-contacts");

    await page.getByTestId("contacts-show-bulk").check();
    await page.waitForURL(/bulk=1/);
    await expect.poll(() => rowEmails(page)).toContain("news@newsletter.test");

    await page.getByTestId("sort-messages").click();
    await page.waitForURL(/sort=messages/);
    await expect.poll(async () => (await rowEmails(page))[0]).toBe("bob@acme.test");

    await page.getByTestId("contacts-filter").fill("carol");
    await page.waitForURL(/q=carol/);
    await expect.poll(() => rowEmails(page)).toEqual(["carol@acme.test"]);
    // The view is a link: reload keeps it.
    await page.reload();
    await expect.poll(() => rowEmails(page)).toEqual(["carol@acme.test"]);
    expect(await page.getByTestId("contacts-filter").inputValue()).toBe("carol");

    await page.goto(`${server.url}/${slug}/contacts?sort=name`);
    await expect.poll(async () => (await rowEmails(page))[0]).toBe("bob@acme.test");
    await page.locator("[data-keys-ready]").first().waitFor({ state: "attached" });
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-email"))).toBe("carol@acme.test");
    await page.keyboard.press("k");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId("profile-title").textContent()).toBe("Bob Stone");
    expect(await rows.count()).toBe(0);
  });

  it("contact timeline: header figures and conversations newest first; Esc goes back", async () => {
    expect(await page.getByTestId("contact-email").textContent()).toContain("bob@acme.test");
    expect(await page.getByTestId("contact-company").textContent()).toContain("acme.test");
    const header = (await page.getByTestId("profile-header").textContent()) ?? "";
    expect(header).toMatch(/Conversations\s*1/);
    expect(header).toMatch(/Messages\s*3/);
    const timeline = page.getByTestId("contact-timeline").getByTestId("conversation-row");
    expect(await timeline.count()).toBe(1);
    expect(await timeline.first().textContent()).toMatch(/Bob Stone, Carol Diaz, me.*3.*Quarterly plan/);
    expect(await page.getByTestId("contact-accounts").textContent()).toContain(EMAIL);
    await screenshot(page, "mail-03-contact");
    await page.locator("[data-keys-ready]").first().waitFor({ state: "attached" });
    await page.keyboard.press("Escape");
    await page.waitForURL(/\/contacts\?sort=name$/);
    await page.goForward();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
  });

  it("company: people at the domain and their merged timeline", async () => {
    await page.getByTestId("contact-company").click();
    await page.waitForURL(`${server.url}/${slug}/companies/acme.test`);
    // Bob (3 messages) before Carol (2).
    await expect.poll(async () => (await page.getByTestId("company-person").allTextContents()).join(" ")).toMatch(/Bob Stone.*Carol Diaz/);
    expect(await page.getByTestId("company-timeline").getByTestId("conversation-row").count()).toBe(1);
    await screenshot(page, "mail-04-company");
    await page.goto(`${server.url}/${slug}/companies`);
    await page.getByTestId("companies-table").waitFor();
    // Each row reads "<initials><domain>".
    await expect.poll(async () => (await page.getByTestId("company-row").allTextContents()).map((t) => t.replace(/^[A-Z]{1,2}/, "")).sort()).toEqual(["acme.test", "evil.test", "globex.test"]);
    await screenshot(page, "mail-04b-companies");
    await page.goto(`${server.url}/${slug}/companies/gmail.com`);
    // The page streams behind loading.tsx, so the 404 arrives after the load event: wait for it.
    await expect.poll(() => page.getByRole("heading", { name: "Page not found" }).count(), { timeout: 15_000 }).toBe(1);
  });

  it("conversation: messages in order, the newest open, quotes and signature collapsed, headers on demand", async () => {
    await page.goto(`${server.url}/${slug}/companies/acme.test`);
    await page.getByTestId("company-timeline").getByTestId("conversation-row").first().click();
    await page.waitForURL(/\/threads\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId("thread-subject").textContent()).toBe("Quarterly plan");
    const cards = page.getByTestId("message");
    expect(await cards.count()).toBe(3);
    expect(await cards.evaluateAll((els) => els.map((el) => el.getAttribute("data-expanded")))).toEqual(["false", "false", "true"]);
    const newest = cards.nth(2);
    expect(await newest.getByTestId("plain-text-body").textContent()).toContain("Great — Carol, the numbers are in the sheet.");
    // The quoted reply is there but collapsed.
    expect(await newest.locator("details:not([open])").count()).toBe(1);
    // Open the first message with the keyboard: links detected, signature collapsed.
    await page.locator("[data-keys-ready]").first().waitFor({ state: "attached" });
    await cards.nth(0).focus();
    await page.keyboard.press("Enter");
    const first = cards.nth(0);
    const link = first.locator('a[href="https://acme.test/plan"]');
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await first.locator("details summary[title='Show signature']").count()).toBe(1);
    await newest.getByTestId("toggle-headers").click();
    await expect.poll(async () => (await newest.getByTestId("message-headers").textContent()) ?? "").toContain("Message-ID:");
    expect(await newest.getByTestId("message-headers").textContent()).toContain("In: INBOX");
    await screenshot(page, "mail-05-thread");
  });

  it("hostile HTML: nothing runs or loads until Show images, then exactly that image", async () => {
    await page.goto(`${server.url}/${slug}/contacts?q=mallory`);
    await page.getByTestId("contact-row").first().click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    await page.getByTestId("contact-timeline").getByTestId("conversation-row").first().click();
    await page.waitForURL(/\/threads\/[0-9a-f-]{36}$/);
    const frameElement = page.getByTestId("mail-frame");
    expect(await frameElement.getAttribute("sandbox")).toBe("allow-popups allow-popups-to-escape-sandbox");
    const frame = await mailFrame(page);
    await frame.waitForSelector("text=Your invoice is ready");
    // Give anything that could fire time to fire.
    await page.waitForTimeout(1500);
    expect(pixel.hits).toEqual([]);
    expect(await frame.locator("html").getAttribute("data-pwned")).toBeNull();
    expect(await frame.locator("script, iframe, form, input, svg, meta[http-equiv], base[href], link").count()).toBe(0);
    expect(await frame.locator('img[data-tl-blocked="remote"]').count()).toBe(1);
    expect(await frame.locator("[onerror], [onload]").count()).toBe(0);
    // The inline logo comes from the message itself; the javascript: link is inert text.
    expect(await frame.locator('img[alt="Evil Corp logo"]').getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(await frame.locator("a", { hasText: "Pay now" }).getAttribute("href")).toBeNull();
    expect(await frame.locator("a", { hasText: "View online" }).getAttribute("rel")).toBe("noopener noreferrer");
    expect(await page.evaluate(() => document.documentElement.getAttribute("data-pwned"))).toBeNull();
    const body = await page.request.get(await frameElement.getAttribute("src").then((src) => `${server.url}${src}`));
    expect(body.headers()["content-security-policy"]).toMatch(/^default-src 'none'; img-src data:; style-src 'unsafe-inline'/);
    expect((await page.getByTestId("attachments").textContent()) ?? "").toMatch(/report\.txt.*B/);
    await screenshot(page, "mail-06-hostile-blocked");

    await page.getByTestId("show-images").click();
    await expect.poll(() => pixel.hits, { timeout: 15_000 }).toEqual(["/pixel.png"]);
    const shown = await mailFrame(page);
    await shown.waitForSelector('img[src$="/pixel.png"]', { state: "attached" });
    await page.waitForTimeout(1000);
    expect(pixel.hits).toEqual(["/pixel.png"]);
    expect(await shown.locator("html").getAttribute("data-pwned")).toBeNull();
    await screenshot(page, "mail-07-hostile-images-shown");

    // "Always from this sender" is remembered: the next visit loads the image without asking.
    await page.reload();
    expect(await page.getByTestId("always-show-images").count()).toBe(1);
    expect(pixel.hits).toEqual(["/pixel.png"]);
    await page.getByTestId("always-show-images").click();
    await expect.poll(() => pixel.hits.length, { timeout: 15_000 }).toBe(2);
    const trusted = await testDb.db.select().from(remoteImageSenders).where(eq(remoteImageSenders.orgId, orgId));
    expect(trusted.map((t) => t.sender)).toEqual(["mallory@evil.test"]);
    await page.reload();
    await expect.poll(() => pixel.hits.length, { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId("remote-images-bar").count()).toBe(0);
    expect(new Set(pixel.hits)).toEqual(new Set(["/pixel.png"]));

    // The attachment downloads from our origin, as a download.
    const download = await page.request.get(`${server.url}${await page.getByTestId("attachment").locator("a").getAttribute("href")}`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename="report.txt"/);
    expect(await download.text()).toContain("Quarterly numbers: 42");
  });

  it("a message that failed to parse says so and offers its raw source", async () => {
    const [broken] = await testDb.db.select({ threadId: messages.threadId }).from(messages).where(and(eq(messages.orgId, orgId), sql`${messages.parseError} is not null`));
    await page.goto(`${server.url}/${slug}/threads/${broken!.threadId}`);
    const banner = page.getByTestId("parse-error");
    expect(await banner.textContent()).toContain("could not be read completely");
    const raw = await page.request.get(`${server.url}${await banner.getByTestId("download-raw").getAttribute("href")}`);
    expect(raw.status()).toBe(200);
    expect(await raw.text()).toContain("This is not an email at all");
    await screenshot(page, "mail-08-parse-error");
  });

  it("settings: an admin changes the contact policy and blocks a domain; its contacts disappear", async () => {
    await page.goto(`${server.url}/${slug}/settings/contacts`);
    await page.getByTestId("policy-replied").click();
    await expect.poll(async () => (await testDb.db.select({ p: organizations.contactPolicy }).from(organizations).where(eq(organizations.id, orgId)))[0]?.p).toBe("replied");
    await page.getByTestId("block-pattern").fill("not a domain");
    await page.getByTestId("block-submit").click();
    await expect.poll(() => page.getByText("Enter an address (name@example.com) or a domain (example.com).").count()).toBe(1);
    await page.getByTestId("block-pattern").fill("@Globex.test");
    await page.getByTestId("block-submit").click();
    await expect.poll(() => page.getByTestId("blocked-entry").allTextContents()).toEqual([expect.stringContaining("globex.test")]);
    await screenshot(page, "mail-09-settings-contacts");
    await page.goto(`${server.url}/${slug}/contacts`);
    await expect.poll(() => rowEmails(page)).toContain("bob@acme.test");
    expect(await rowEmails(page)).not.toContain("erin@globex.test");
  });
});

async function rowEmails(page: Page): Promise<string[]> {
  return page.getByTestId("contact-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-email") ?? ""));
}

/** Records every request (path) it gets; serves a tiny PNG. Stands in for a tracking pixel's host. */
async function startPixelServer() {
  const hits: string[] = [];
  const png = solidPng(1, 1, [91, 91, 214]);
  const srv = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    res.writeHead(200, { "content-type": "image/png", "cache-control": "no-store" });
    res.end(png);
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, hits, close: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
}

async function seedMailbox(dovecot: DovecotServer, pixelUrl: string) {
  const date = (day: number, hour = 9) => new Date(Date.UTC(2026, 2, day, hour, 0)).toUTCString().replace("GMT", "+0000");
  const plain = (headers: string[], body: string) => Buffer.from([...headers, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body].join("\r\n"));
  const inbox = [
    plain(
      ["From: Bob Stone <bob@acme.test>", `To: Alice <${EMAIL}>`, "Subject: Quarterly plan", `Date: ${date(2)}`, "Message-ID: <q1@acme.test>"],
      "Hi Alice,\r\n\r\nHere is the plan for Q2: https://acme.test/plan\r\nCan you review it by Friday?\r\n\r\nBest,\r\nBob\r\n-- \r\nBob Stone · Head of Sales, Acme\r\n+1 555 0100\r\n",
    ),
    plain(
      ["From: Bob Stone <bob@acme.test>", `To: Alice <${EMAIL}>`, "Cc: Carol Diaz <carol@acme.test>", "Subject: Re: Quarterly plan", `Date: ${date(4)}`, "Message-ID: <q3@acme.test>", "In-Reply-To: <q2@example.test>", "References: <q1@acme.test> <q2@example.test>"],
      "Great — Carol, the numbers are in the sheet.\r\n\r\nOn Tue, 3 Mar 2026, Alice wrote:\r\n> Thanks Bob, looping in Carol.\r\n> Let's meet on Thursday.\r\n",
    ),
    hostileHtml(pixelUrl, date(6)),
    plain(["From: Weekly News <news@newsletter.test>", `To: ${EMAIL}`, "Subject: This week in widgets", `Date: ${date(7)}`, "List-Unsubscribe: <https://newsletter.test/unsub>", "Precedence: bulk"], "Ten widgets you will love.\r\n"),
    plain(["From: Dana Lee <dana@gmail.com>", `To: ${EMAIL}`, "Subject: Coffee next week?", `Date: ${date(8)}`], "Are you free on Tuesday? www.cafe.test has a new menu.\r\n"),
    plain(["From: Erin Park <erin@globex.test>", `To: ${EMAIL}`, "Cc: Frank Ode <frank@globex.test>", "Subject: Partnership intro", `Date: ${date(9)}`], "Hello Alice, Frank and I would love to talk about a partnership.\r\n"),
    plain(["From: Erin Park <erin@globex.test>", `To: ${EMAIL}`, "Subject: Slides", `Date: ${date(5)}`], "The deck, as promised.\r\n"),
    Buffer.from("X-Garbage: 1\r\n\r\nThis is not an email at all, just bytes a server once stored.\r\n"),
  ];
  const sent = [
    plain(
      [`From: Alice <${EMAIL}>`, "To: Bob Stone <bob@acme.test>", "Cc: Carol Diaz <carol@acme.test>", "Subject: Re: Quarterly plan", `Date: ${date(3)}`, "Message-ID: <q2@example.test>", "In-Reply-To: <q1@acme.test>", "References: <q1@acme.test>"],
      "Thanks Bob, looping in Carol.\r\nLet's meet on Thursday.\r\n\r\nOn Mon, 2 Mar 2026, Bob Stone wrote:\r\n> Hi Alice,\r\n> Here is the plan for Q2\r\n",
    ),
  ];
  await withSeedClient(dovecot, async (client) => {
    await appendMessages(client, "INBOX", inbox);
    await appendMessages(client, "Sent", sent, { flags: ["\\Seen"] });
  });
}

function hostileHtml(pixelUrl: string, date: string): Buffer {
  const logo = solidPng(120, 36, [91, 91, 214]).toString("base64").replace(/.{76}/g, "$&\r\n");
  const html = `<html><head><base href="${pixelUrl}/"><meta http-equiv="refresh" content="0;url=${pixelUrl}/refresh"><link rel="stylesheet" href="${pixelUrl}/css">
<style>.box{background:url(${pixelUrl}/bg.png);padding:10px 12px;border:1px solid #e4e4e8;border-radius:6px} h2{font-weight:600;margin:0 0 8px}</style></head>
<body onload="document.documentElement.setAttribute('data-pwned','body')">
<img src="cid:logo@evil" alt="Evil Corp logo" width="120" height="36">
<h2>Your invoice is ready</h2>
<p>Hello Alice, please review invoice #4471 and the attached report before Friday.</p>
<p><img src="${pixelUrl}/pixel.png" width="1" height="1" alt=""></p>
<div class="box">Amount due: <b>€1,250.00</b> · Due 20 March</div>
<script>document.documentElement.setAttribute('data-pwned','script');fetch('${pixelUrl}/script')</script>
<img src="x" onerror="document.documentElement.setAttribute('data-pwned','onerror');new Image().src='${pixelUrl}/onerror'">
<svg onload="new Image().src='${pixelUrl}/svg'"><circle r="4"/></svg>
<p><a href="javascript:document.documentElement.setAttribute('data-pwned','link')">Pay now</a> · <a href="https://example.test/invoices/4471">View online</a></p>
<form action="${pixelUrl}/form" method="post"><input name="card" placeholder="Card number"><button>Pay</button></form>
<iframe src="${pixelUrl}/iframe"></iframe>
<div class="gmail_quote">On Mon, Alice wrote:<blockquote class="gmail_quote">Can you send the invoice?</blockquote></div>
</body></html>`;
  return Buffer.from(
    [
      "From: Mallory Hacker <mallory@evil.test>",
      `To: Alice <${EMAIL}>`,
      "Subject: Invoice #4471 — action required",
      `Date: ${date}`,
      "Message-ID: <invoice-4471@evil.test>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="mix"',
      "",
      "--mix",
      'Content-Type: multipart/related; boundary="rel"',
      "",
      "--rel",
      "Content-Type: text/html; charset=utf-8",
      "",
      html.replace(/\n/g, "\r\n"),
      "--rel",
      "Content-Type: image/png",
      "Content-ID: <logo@evil>",
      'Content-Disposition: inline; filename="logo.png"',
      "Content-Transfer-Encoding: base64",
      "",
      logo,
      "--rel--",
      "--mix",
      'Content-Type: text/plain; name="report.txt"',
      'Content-Disposition: attachment; filename="report.txt"',
      "",
      "Quarterly numbers: 42",
      "--mix--",
      "",
    ].join("\r\n"),
  );
}

/** Two more mailboxes in states the home page must show: one to reconnect, one mid-way through its first sync. */
async function seedOtherMailboxStates(testDb: TestDatabase, orgId: string, userId: string) {
  const base = { orgId, userId, provider: "imap" as const, imapHost: "imap.example.test", imapPort: 993, authKind: "password" as const };
  await testDb.db.insert(mailAccounts).values({
    ...base,
    emailAddress: "alice@old-job.test",
    imapUser: "alice@old-job.test",
    status: "reconnect_needed",
    statusReason: "The server refused the password.",
    lastErrorAt: new Date(Date.now() - 3 * 3_600_000),
  });
  const [archive] = await testDb.db
    .insert(mailAccounts)
    .values({ ...base, emailAddress: "alice.archive@example.test", imapUser: "alice.archive@example.test", status: "syncing" })
    .returning();
  await testDb.db.insert(mailboxes).values({ orgId, accountId: archive!.id, path: "INBOX", name: "INBOX", serverCount: 5000, syncedCount: 1204 });
}

/** A PNG of one colour (no image library needed). */
function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
