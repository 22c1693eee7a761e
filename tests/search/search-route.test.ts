import { beforeAll, expect, test, vi } from "vitest";
import { GET } from "@/app/api/orgs/[slug]/search/route";
import { appTestDatabase, signInAs } from "@/tests/tenancy/support";
import { seedAccount, seedMail, seedOrg, seedUser } from "./support";

vi.mock("@/auth", () => ({
  auth: vi.fn(async () => null),
  signIn: vi.fn(),
  signOut: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn() },
  AuthError: class AuthError extends Error {},
}));

const database = appTestDatabase();
let world: { a: { slug: string; owner: { id: string } }; b: { slug: string; member: { id: string } } };

beforeAll(async () => {
  const db = database.db;
  const aOwner = await seedUser(db, `route-a-${Date.now()}@example.test`);
  const bMember = await seedUser(db, `route-b-${Date.now()}@example.test`);
  const a = await seedOrg(db, "Route A", [{ userId: aOwner.id, role: "owner" }]);
  const b = await seedOrg(db, "Route B", [{ userId: bMember.id, role: "member" }]);
  await seedMail(db, await seedAccount(db, a.id, "a@route.test"), [{ key: "a1", from: "x@route.test", subject: "Walrus in A", date: "2024-01-01T00:00:00Z" }]);
  await seedMail(db, await seedAccount(db, b.id, "b@route.test"), [{ key: "b1", from: "y@route.test", subject: "Walrus <b>in</b> B", body: "<script>alert(1)</script> walrus", date: "2024-01-02T00:00:00Z" }]);
  world = { a: { slug: a.slug, owner: aOwner }, b: { slug: b.slug, member: bMember } };
});

const call = (slug: string, query: string) => GET(new Request(`http://localhost/api/orgs/${slug}/search?${query}`), { params: Promise.resolve({ slug }) });

test("a member finds their organisation's mail, highlighted as text segments", async () => {
  signInAs(world.b.member);
  const response = await call(world.b.slug, "q=walrus&sort=newest&group=messages");
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", total: 1, sort: "newest", page: 1, clauses: [{ text: "walrus", negated: false, operator: false }] });
  expect(body.results[0].subject).toBe("Walrus <b>in</b> B");
  expect(body.results[0].subjectHighlight).toEqual([
    { text: "Walrus", match: true },
    { text: " <b>in</b> B", match: false },
  ]);
  expect(body.results[0].highlight).toContainEqual({ text: "walrus", match: true });
});

test("another organisation's slug is a 404 even with a query; signed out is a 401", async () => {
  signInAs(world.a.owner);
  const cross = await call(world.b.slug, "q=walrus");
  expect(cross.status).toBe(404);
  signInAs(null);
  expect((await call(world.b.slug, "q=walrus")).status).toBe(401);
});

test("a query that cannot be read is a 400 with the parser's message and position", async () => {
  signInAs(world.b.member);
  const response = await call(world.b.slug, `q=${encodeURIComponent("walrus colour:grey")}`);
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: { code: "invalid", message: expect.stringContaining("Unknown operator “colour:”"), at: 7 } });
});
