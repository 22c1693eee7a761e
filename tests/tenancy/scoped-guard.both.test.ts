import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import ContactsPage from "@/app/(dashboard)/[slug]/contacts/page";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { blockedSenders, messages } from "@/db/schema";
import { orgAction, orgInput } from "@/lib/safe-action";
import { conflict } from "@/lib/tenancy/errors";
import { APP_ROLE } from "@/lib/tenancy/run-as-org";
import { withOrg } from "@/lib/tenancy/with-org";
import { appTestDatabase, seedWorld, signInAs } from "./support";

vi.mock("@/auth", () => ({ auth: vi.fn(async () => null), signIn: vi.fn(), signOut: vi.fn(), handlers: {}, AuthError: Error }));

/*
 * The guard's three doors hand out the scoped database: queries in a route handler, a server action
 * and a page run as threadline_app with the organisation set, so even a query that forgets its org
 * filter sees only the organisation. On PGlite (one connection) this also proves nothing inside
 * reaches for the global db, which would wait for the open transaction forever.
 */

const testDb = appTestDatabase();

async function probe(db: Database) {
  const [who] = await queryRows<{ role: string; org: string }>(db, sql`select current_user as role, current_setting('threadline.org_id', true) as org`);
  // No org filter on purpose: row-level security is what keeps other organisations out.
  const everyMessage = await db.select({ orgId: messages.orgId }).from(messages);
  return { ...who!, messageOrgs: [...new Set(everyMessage.map((m) => m.orgId))] };
}

describe("withOrg", () => {
  it("runs the handler as threadline_app with its organisation: an unfiltered query sees only that organisation", async () => {
    const w = await seedWorld(testDb.db);
    const route = withOrg(async (_request, { db }) => Response.json(await probe(db)));
    const call = (slug: string) => route(new Request("http://localhost/x"), { params: Promise.resolve({ slug }) });

    signInAs(w.b.member);
    expect(await (await call(w.b.slug)).json()).toEqual({ role: APP_ROLE, org: w.b.id, messageOrgs: [w.b.id] });
    signInAs(w.a.owner);
    // A has no mail; B's (and every earlier test's) is there for the owner, not for A.
    expect(await (await call(w.a.slug)).json()).toEqual({ role: APP_ROLE, org: w.a.id, messageOrgs: [] });
    const all = await testDb.db.select({ orgId: messages.orgId }).from(messages).where(eq(messages.orgId, w.b.id));
    expect(all.length).toBeGreaterThan(0);
  });

  it("outsideTransaction: the handler's db refuses plainly, runAsOrg scopes each step", async () => {
    const w = await seedWorld(testDb.db);
    const route = withOrg(
      async (_request, { db, runAsOrg }) => {
        const misuse = await Promise.resolve()
          .then(() => db.select().from(messages))
          .then(() => null, (error: Error) => error.message);
        return Response.json({ misuse, scoped: await runAsOrg((scoped) => probe(scoped)) });
      },
      { outsideTransaction: "Test: talks to another server between steps." },
    );
    signInAs(w.b.member);
    const body = await (await route(new Request("http://localhost/x"), { params: Promise.resolve({ slug: w.b.slug }) })).json();
    expect(body.misuse).toContain("use runAsOrg");
    expect(body.scoped).toEqual({ role: APP_ROLE, org: w.b.id, messageOrgs: [w.b.id] });
  });
});

describe("orgAction", () => {
  const probeAction = orgAction
    .metadata({ actionName: "probe" })
    .inputSchema(orgInput({}))
    .action(async ({ ctx: { db } }) => probe(db));

  const failingAction = orgAction
    .metadata({ actionName: "failing" })
    .inputSchema(orgInput({ pattern: z.string() }))
    .action(async ({ ctx: { org, db }, parsedInput: { pattern } }) => {
      await db.insert(blockedSenders).values({ orgId: org.orgId, pattern });
      throw conflict("Changed my mind.");
    });

  const outsideAction = orgAction
    .metadata({ actionName: "outside", outsideTransaction: "Test: talks to another server between steps." })
    .inputSchema(orgInput({}))
    .action(async ({ ctx }) => {
      const misuse = await Promise.resolve()
        .then(() => ctx.db.select().from(messages))
        .then(() => null, (error: Error) => error.message);
      return { misuse, scoped: await ctx.runAsOrg((db) => probe(db)) };
    });

  it("runs the action as threadline_app with its organisation", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.b.member);
    expect((await probeAction({ slug: w.b.slug }))?.data).toEqual({ role: APP_ROLE, org: w.b.id, messageOrgs: [w.b.id] });
  });

  it("rolls the action's writes back when it fails", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.b.admin);
    const pattern = `rolled-back-${w.b.slug}.example`;
    const result = await failingAction({ slug: w.b.slug, pattern });
    expect(result?.serverError).toMatchObject({ code: "conflict" });
    expect(await testDb.db.select().from(blockedSenders).where(eq(blockedSenders.pattern, pattern))).toEqual([]);
  });

  it("outsideTransaction: ctx.db refuses plainly, ctx.runAsOrg scopes each step", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.b.member);
    const data = (await outsideAction({ slug: w.b.slug }))?.data;
    expect(data?.misuse).toContain("use ctx.runAsOrg");
    expect(data?.scoped).toEqual({ role: APP_ROLE, org: w.b.id, messageOrgs: [w.b.id] });
  });
});

describe("pages", () => {
  it("the contacts page loads through runAsOrg (and finishes on PGlite's single connection)", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.b.member);
    const page = await ContactsPage({ params: Promise.resolve({ slug: w.b.slug }), searchParams: Promise.resolve({}) } as never);
    const rendered = JSON.stringify(page, (_key, value) => (typeof value === "function" ? undefined : value));
    expect(rendered).toContain(`partner-${w.b.slug.slice(2)}@partner.test`);
    signInAs(w.a.owner);
    const refused = await ContactsPage({ params: Promise.resolve({ slug: w.b.slug }), searchParams: Promise.resolve({}) } as never).catch((e) => e);
    expect(String(refused.digest)).toMatch(/404/);
  });
});
