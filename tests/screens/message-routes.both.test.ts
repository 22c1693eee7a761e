import { beforeAll, describe, expect, it, vi } from "vitest";
import { setSenderImagesAction } from "@/app/(dashboard)/[slug]/threads/actions";
import { GET as attachmentRoute } from "@/app/api/orgs/[slug]/messages/[id]/attachments/[attachmentId]/route";
import { GET as bodyRoute } from "@/app/api/orgs/[slug]/messages/[id]/body/route";
import { GET as cidRoute } from "@/app/api/orgs/[slug]/messages/[id]/cid/[cid]/route";
import { GET as rawRoute } from "@/app/api/orgs/[slug]/messages/[id]/raw/route";
import { seedAccount, seedThread } from "@/tests/tenancy/seed-mail";
import { appTestDatabase, seedWorld, signInAs, type World } from "@/tests/tenancy/support";

vi.mock("@/auth", () => ({ auth: vi.fn(async () => null), signIn: vi.fn(), signOut: vi.fn(), handlers: {}, AuthError: class extends Error {} }));

/*
 * The guarded message routes as the reader's browser uses them (cross-tenant refusals are in
 * tests/tenancy): the body's sanitising and policy, remote images per message and per trusted
 * sender, inline parts, downloads, and what happens when a part or a source is not stored.
 */

const testDb = appTestDatabase();
let w: World;
let ids: { html: string; plain: string; stored: string; missing: string; svg: string };
const PNG = Buffer.from("89504e470d0a1a0a", "hex");

beforeAll(async () => {
  w = await seedWorld(testDb.db);
  const account = await seedAccount(testDb.db, { orgId: w.a.id, userId: w.a.owner.id, email: "owner@a.test" });
  const thread = await seedThread(testDb.db, {
    orgId: w.a.id,
    accountId: account.id,
    ownAddress: "owner@a.test",
    messages: [
      {
        subject: "Newsletter",
        from: { email: "news@shop.test" },
        to: [{ email: "owner@a.test" }],
        html: `<p onclick="x()">Deals</p><script>alert(1)</script><img src="https://tracker.test/p.gif"><img src="cid:Logo@Shop"><img src="cid:vector@shop">`,
        attachments: [
          { filename: "logo.png", contentType: "image/png", content: PNG, contentId: "logo@shop", inline: true },
          { filename: "vector.svg", contentType: "image/svg+xml", content: Buffer.from("<svg onload='alert(1)'/>"), contentId: "vector@shop", inline: true },
          { filename: "terms.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.4 terms") },
          { filename: "video.mov", contentType: "video/quicktime", content: null, size: 48_000_000 },
        ],
      },
      { subject: "Re: Newsletter", from: { email: "owner@a.test" }, to: [{ email: "news@shop.test" }], text: "Tell me <more> & \"less\"" },
    ],
  });
  const [html, plain] = thread.messages;
  ids = { html: html!.id, plain: plain!.id, stored: html!.attachmentIds[2]!, missing: html!.attachmentIds[3]!, svg: html!.attachmentIds[1]! };
  signInAs(w.a.member);
});

const call = <P extends Record<string, string>>(handler: (r: Request, c: { params: Promise<P> }) => Promise<Response>, path: string, params: Omit<P, "slug">) =>
  handler(new Request(`http://localhost/api/orgs/${w.a.slug}/messages/${path}`), { params: Promise.resolve({ slug: w.a.slug, ...params } as unknown as P) });

describe("body", () => {
  it("is sanitised, inline parts embedded, remote images blocked, under a CSP with no scripts", async () => {
    const response = await call(bodyRoute, `${ids.html}/body`, { id: ids.html });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox",
    );
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).not.toMatch(/<script|onclick|alert|tracker\.test/);
    expect(html).toContain(`src="data:image/png;base64,${PNG.toString("base64")}"`);
    // SVG parts are never inlined (only raster images).
    expect(html).not.toContain("image/svg+xml;base64,PHN2ZyBvbmxvYWQ");
    expect(html.match(/data-tl-blocked="remote"/g)).toHaveLength(1);
  });

  it("loads remote images once for ?images=1, and always for a sender the reader trusts", async () => {
    const once = await call(bodyRoute, `${ids.html}/body?images=1`, { id: ids.html });
    expect(once.headers.get("content-security-policy")).toContain("img-src data: http: https:;");
    expect(await once.text()).toContain('src="https://tracker.test/p.gif"');

    const again = await (await call(bodyRoute, `${ids.html}/body`, { id: ids.html })).text();
    expect(again).not.toContain("tracker.test");

    const trusted = await setSenderImagesAction({ slug: w.a.slug, messageId: ids.html, allow: true });
    expect(trusted?.data).toEqual({ sender: "news@shop.test", allowed: true });
    const now = await call(bodyRoute, `${ids.html}/body`, { id: ids.html });
    expect(now.headers.get("content-security-policy")).toContain("img-src data: http: https:;");
    expect(await now.text()).toContain('src="https://tracker.test/p.gif"');

    // Trust is per reader: the admin still gets the placeholder.
    signInAs(w.a.admin);
    expect(await (await call(bodyRoute, `${ids.html}/body`, { id: ids.html })).text()).not.toContain("tracker.test");
    signInAs(w.a.member);
    await setSenderImagesAction({ slug: w.a.slug, messageId: ids.html, allow: false });
    expect(await (await call(bodyRoute, `${ids.html}/body`, { id: ids.html })).text()).not.toContain("tracker.test");
  });

  it("serves a plain-text message escaped", async () => {
    const html = await (await call(bodyRoute, `${ids.plain}/body`, { id: ids.plain })).text();
    expect(html).toContain("Tell me &#60;more&#62; &#38; &#34;less&#34;");
  });

  it("answers 404 for an id that is not a message of the organisation", async () => {
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000", w.b.mail.message.id]) {
      expect((await call(bodyRoute, `${id}/body`, { id })).status).toBe(404);
    }
  });
});

describe("parts and sources", () => {
  it("downloads a stored attachment, never inline, and says when one is not stored", async () => {
    const stored = await call(attachmentRoute, `${ids.html}/attachments/${ids.stored}`, { id: ids.html, attachmentId: ids.stored });
    expect(stored.status).toBe(200);
    expect(stored.headers.get("content-disposition")).toBe(`attachment; filename="terms.pdf"; filename*=UTF-8''terms.pdf`);
    expect(stored.headers.get("content-type")).toBe("application/pdf");
    expect(stored.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await stored.arrayBuffer()).toString()).toBe("%PDF-1.4 terms");

    const missing = await call(attachmentRoute, `${ids.html}/attachments/${ids.missing}`, { id: ids.html, attachmentId: ids.missing });
    expect(missing.status).toBe(409);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/not stored in Threadline yet/);

    // An attachment id of another message is not found through this one.
    const wrong = await call(attachmentRoute, `${ids.plain}/attachments/${ids.stored}`, { id: ids.plain, attachmentId: ids.stored });
    expect(wrong.status).toBe(404);
  });

  it("serves inline parts by Content-ID from our origin: rasters inline, SVG only as a download", async () => {
    const png = await call(cidRoute, `${ids.html}/cid/logo%40shop`, { id: ids.html, cid: "LOGO%40shop" });
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toMatch(/^inline;/);
    const svg = await call(cidRoute, `${ids.html}/cid/vector%40shop`, { id: ids.html, cid: "<vector@shop>" });
    expect(svg.headers.get("content-type")).toBe("application/octet-stream");
    expect(svg.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect((await call(cidRoute, `${ids.html}/cid/nope`, { id: ids.html, cid: "nope@shop" })).status).toBe(404);
  });

  it("answers 404 for the raw source of a message that has none", async () => {
    const response = await call(rawRoute, `${ids.html}/raw`, { id: ids.html });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe("No raw source is stored for this message.");
  });
});
