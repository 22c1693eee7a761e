import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { ZodError } from "zod";
import * as t from "@/db/schema";
import { insertOrganization, insertUser } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";
import { SlugTakenError, availableSlug, createOrganization } from "./create-organization";

// *.both.test.ts: runs on Postgres (project "postgres") and on PGlite (project "pglite").
const database = fileTestDatabase();
describe("createOrganization", () => {
  test("normalises the slug, defaults the name to it, and adds the owner", async () => {
    const owner = await insertUser(database.db);
    const org = await createOrganization(database.db, { slug: "  Northwind ", ownerUserId: owner.id });
    expect(org).toMatchObject({ slug: "northwind", name: "northwind", personal: false });
    const members = await database.db.select().from(t.memberships).where(eq(t.memberships.orgId, org.id));
    expect(members).toEqual([expect.objectContaining({ userId: owner.id, role: "owner" })]);
  });

  test("a taken slug gives SlugTakenError and changes nothing", async () => {
    await createOrganization(database.db, { slug: "contoso", name: "Contoso" });
    const intruder = await insertUser(database.db);
    const attempt = createOrganization(database.db, { slug: "Contoso", name: "Other", ownerUserId: intruder.id });
    await expect(attempt).rejects.toBeInstanceOf(SlugTakenError);
    await expect(attempt).rejects.toThrow('The organisation slug "contoso" is already taken');
    const rows = await database.db.select().from(t.organizations).where(eq(t.organizations.slug, "contoso"));
    expect(rows.map((r) => r.name)).toEqual(["Contoso"]);
    expect(await database.db.select().from(t.memberships).where(eq(t.memberships.userId, intruder.id))).toEqual([]);
  });

  test("an invalid slug is refused before touching the database", async () => {
    await expect(createOrganization(database.db, { slug: "no spaces" })).rejects.toBeInstanceOf(ZodError);
    expect(await database.db.select().from(t.organizations).where(eq(t.organizations.name, "no spaces"))).toEqual([]);
  });

  test("an owner that does not exist rolls the organisation back", async () => {
    await expect(createOrganization(database.db, { slug: "ghost-owned", ownerUserId: "no-such-user" })).rejects.toThrow();
    expect(await database.db.select().from(t.organizations).where(eq(t.organizations.slug, "ghost-owned"))).toEqual([]);
  });
});

describe("availableSlug", () => {
  test("derives the slug from the name and counts up past taken ones", async () => {
    expect(await availableSlug(database.db, "Fabrikam Ltd")).toBe("fabrikam-ltd");
    await insertOrganization(database.db, "fabrikam-ltd");
    await insertOrganization(database.db, "fabrikam-ltd-2");
    expect(await availableSlug(database.db, "Fabrikam Ltd")).toBe("fabrikam-ltd-3");
  });

  test("steps around reserved words", async () => {
    expect(await availableSlug(database.db, "Settings")).toBe("settings-2");
  });
});
