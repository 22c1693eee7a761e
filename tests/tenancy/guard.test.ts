import { describe, expect, it, vi } from "vitest";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { requireOrgContext } from "@/lib/tenancy/require-org-context";
import { resolveOrgContext } from "@/lib/tenancy/resolve-org-context";
import { withOrg } from "@/lib/tenancy/with-org";
import { appTestDatabase, seedWorld, signInAs } from "./support";

vi.mock("@/auth", () => ({ auth: vi.fn(async () => null), signIn: vi.fn(), signOut: vi.fn(), handlers: {}, AuthError: Error }));

const testDb = appTestDatabase();

describe("resolveOrgContext / requireOrgContext", () => {
  it("resolves a member's organisation and role", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.admin);
    const ctx = await requireOrgContext(w.a.slug);
    expect(ctx).toMatchObject({ orgId: w.a.id, org: { id: w.a.id, slug: w.a.slug, personal: false }, role: "admin", user: { id: w.a.admin.id } });
  });

  it("refuses with the same 404 for a stranger's organisation, an unknown slug and an invalid slug", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.owner);
    const errors = await Promise.all([w.b.slug, `zz-${w.b.slug}`, "../etc", "", 42].map((slug) => requireOrgContext(slug).catch((e) => e)));
    for (const error of errors) expect(error).toMatchObject({ code: "not_found", status: 404, message: errors[0].message });
  });

  it("refuses 403 below the required role and 401 signed out", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.member);
    await expect(requireOrgContext(w.a.slug, { requiredRole: "admin" })).rejects.toMatchObject({ code: "forbidden", status: 403 });
    signInAs(w.a.admin);
    await expect(requireOrgContext(w.a.slug, { requiredRole: "owner" })).rejects.toMatchObject({ status: 403 });
    await expect(requireOrgContext(w.a.slug, { requiredRole: "admin" })).resolves.toMatchObject({ role: "admin" });
    signInAs(null);
    await expect(requireOrgContext(w.a.slug)).rejects.toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("treats a session whose user was deleted as signed out", async () => {
    signInAs({ id: "no-such-user" });
    await expect(requireOrgContext("anything")).rejects.toMatchObject({ status: 401 });
  });

  it("slugs are matched case-insensitively (URLs are), never by prefix", async () => {
    const w = await seedWorld(testDb.db);
    await expect(resolveOrgContext(testDb.db, { id: w.a.owner.id, email: null, name: null }, w.a.slug.toUpperCase())).resolves.toMatchObject({ orgId: w.a.id });
    await expect(resolveOrgContext(testDb.db, { id: w.a.owner.id, email: null, name: null }, w.a.slug.slice(0, -1))).rejects.toMatchObject({ status: 404 });
  });
});

describe("getOrgContext (server components)", () => {
  it("redirects to /login signed out and renders the 404 page for a stranger", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(null);
    const redirect = await getOrgContext(w.b.slug).catch((e) => e);
    expect(String(redirect.digest)).toContain(`/login?callbackUrl=${encodeURIComponent(`/${w.b.slug}`)}`);
    signInAs(w.a.owner);
    const notFound = await getOrgContext(w.b.slug).catch((e) => e);
    expect(String(notFound.digest)).toMatch(/404/);
    await expect(getOrgContext(w.a.slug)).resolves.toMatchObject({ orgId: w.a.id, role: "owner" });
  });
});

describe("withOrg (route handlers)", () => {
  it("runs the handler only for members with the required role and answers JSON errors otherwise", async () => {
    const w = await seedWorld(testDb.db);
    const handler = vi.fn(async (_req: Request, { org }: { org: { orgId: string } }) => Response.json({ orgId: org.orgId }));
    const route = withOrg(handler, { requiredRole: "admin" });
    const call = (slug: string) => route(new Request("http://localhost/x"), { params: Promise.resolve({ slug }) });

    signInAs(w.a.member);
    const forbidden = await call(w.a.slug);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: "forbidden" } });
    signInAs(w.a.owner);
    expect((await call(w.b.slug)).status).toBe(404);
    expect(handler).not.toHaveBeenCalled();

    const ok = await call(w.a.slug);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ orgId: w.a.id });
  });

  it("hides unexpected errors behind a 500 with a plain message", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.owner);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const route = withOrg(() => {
      throw new Error("password=hunter2 in a stack trace");
    });
    const response = await route(new Request("http://localhost/x"), { params: Promise.resolve({ slug: w.a.slug }) });
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("hunter2");
    spy.mockRestore();
  });
});
