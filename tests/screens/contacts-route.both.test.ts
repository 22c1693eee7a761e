import { describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/orgs/[slug]/contacts/route";
import { appTestDatabase, seedWorld, signInAs } from "@/tests/tenancy/support";

vi.mock("@/auth", () => ({ auth: vi.fn(async () => null), signIn: vi.fn(), signOut: vi.fn(), handlers: {}, AuthError: Error }));

// The command palette's contact lookup: the organisation's people whose name or address contains q.

const testDb = appTestDatabase();

const find = async (slug: string, q: string) => {
  const response = await GET(new Request(`http://localhost/api/orgs/${slug}/contacts?q=${encodeURIComponent(q)}`), { params: Promise.resolve({ slug }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { contacts: { id: string; name: string | null; email: string; company: string | null }[] }).contacts;
};

describe("GET /api/orgs/[slug]/contacts", () => {
  it("finds the organisation's people by part of their name or address, and only its own", async () => {
    const w = await seedWorld(testDb.db);
    const tag = w.b.slug.slice(2);
    signInAs(w.b.member);
    const byAddress = await find(w.b.slug, `PARTNER-${tag}`);
    expect(byAddress).toEqual([{ id: expect.any(String), name: "Partner", email: `partner-${tag}@partner.test`, company: "partner.test" }]);
    expect((await find(w.b.slug, "artne")).map((c) => c.email)).toContain(`partner-${tag}@partner.test`);
    // LIKE's wildcards are plain characters here.
    expect(await find(w.b.slug, "%")).toEqual([]);
    expect(await find(w.b.slug, "   ")).toEqual([]);

    signInAs(w.a.owner);
    expect(await find(w.a.slug, `partner-${tag}`)).toEqual([]);
  });
});
