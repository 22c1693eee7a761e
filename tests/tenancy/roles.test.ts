import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import {
  changeMemberRoleAction,
  createInvitationAction,
  removeMemberAction,
  revokeInvitationAction,
} from "@/app/(dashboard)/[slug]/settings/members/actions";
import { invitations, memberships } from "@/db/schema";
import { appTestDatabase, seedInvitation, seedUser, seedWorld, signInAs, tenancySnapshot } from "./support";

vi.mock("@/auth", () => ({ auth: vi.fn(async () => null), signIn: vi.fn(), signOut: vi.fn(), handlers: {}, AuthError: Error }));

const testDb = appTestDatabase();

async function roleOf(orgId: string, userId: string) {
  const [row] = await testDb.db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

describe("inviting", () => {
  it("a member cannot invite; an admin invites members but not admins; an owner invites both", async () => {
    const w = await seedWorld(testDb.db);
    const before = await tenancySnapshot(testDb.db);
    signInAs(w.a.member);
    expect((await createInvitationAction({ slug: w.a.slug, role: "member", email: "" }))?.serverError).toMatchObject({ code: "forbidden" });
    signInAs(w.a.admin);
    expect((await createInvitationAction({ slug: w.a.slug, role: "admin", email: "" }))?.serverError).toMatchObject({ code: "forbidden" });
    expect(await tenancySnapshot(testDb.db)).toEqual(before);

    expect((await createInvitationAction({ slug: w.a.slug, role: "member", email: "" }))?.data).toMatchObject({ role: "member" });
    signInAs(w.a.owner);
    expect((await createInvitationAction({ slug: w.a.slug, role: "admin", email: "Boss@Example.TEST " }))?.data).toMatchObject({ role: "admin", email: "boss@example.test" });
    // Ownership is never granted by a link: the schema itself refuses it.
    expect((await createInvitationAction({ slug: w.a.slug, role: "owner" as "admin", email: "" }))?.validationErrors).toBeDefined();
  });

  it("stores only the SHA-256 of the token, with a 7-day expiry", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.owner);
    const result = await createInvitationAction({ slug: w.a.slug, role: "member", email: "" });
    const token = result!.data!.path.split("/").pop()!;
    const [row] = await testDb.db.select().from(invitations).where(eq(invitations.id, result!.data!.id));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    const days = (row!.expiresAt.getTime() - row!.createdAt.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
  });

  it("an admin cannot revoke an admin invitation; the owner can; revoked links stop working", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.b.admin);
    expect((await revokeInvitationAction({ slug: w.b.slug, invitationId: w.b.adminInvitation.id }))?.serverError).toMatchObject({ code: "forbidden" });
    signInAs(w.b.owner);
    expect((await revokeInvitationAction({ slug: w.b.slug, invitationId: w.b.adminInvitation.id }))?.data).toBeDefined();
    signInAs(w.outsider);
    expect((await acceptInvitationAction({ token: w.b.adminInvitation.token }))?.serverError).toMatchObject({ code: "conflict" });
    expect(await roleOf(w.b.id, w.outsider.id)).toBeNull();
  });
});

describe("accepting", () => {
  it("adds a membership with the invited role, once", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.outsider);
    expect((await acceptInvitationAction({ token: w.b.adminInvitation.token }))?.data).toMatchObject({ slug: w.b.slug, role: "admin", alreadyMember: false });
    expect(await roleOf(w.b.id, w.outsider.id)).toBe("admin");
    const second = await seedUser(testDb.db, `second-${w.b.slug}@example.test`);
    signInAs(second);
    expect((await acceptInvitationAction({ token: w.b.adminInvitation.token }))?.serverError).toMatchObject({ code: "conflict" });
    expect(await roleOf(w.b.id, second.id)).toBeNull();
  });

  it("honours the email restriction and the expiry", async () => {
    const w = await seedWorld(testDb.db);
    const restricted = await seedInvitation(testDb.db, w.b.id, w.b.owner.id, "member", { email: w.outsider.email.toUpperCase() });
    const expired = await seedInvitation(testDb.db, w.b.id, w.b.owner.id, "member", { expiresAt: new Date(Date.now() - 1000) });
    signInAs(w.a.member);
    expect((await acceptInvitationAction({ token: restricted.token }))?.serverError).toMatchObject({ code: "forbidden" });
    signInAs(w.outsider);
    expect((await acceptInvitationAction({ token: expired.token }))?.serverError).toMatchObject({ code: "conflict" });
    expect(await roleOf(w.b.id, w.outsider.id)).toBeNull();
    expect((await acceptInvitationAction({ token: restricted.token }))?.data).toMatchObject({ role: "member" });
    expect(await roleOf(w.b.id, w.a.member.id)).toBeNull();
  });

  it("leaves an existing member's role alone and the link unused", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.b.member);
    expect((await acceptInvitationAction({ token: w.b.adminInvitation.token }))?.data).toMatchObject({ role: "member", alreadyMember: true });
    expect(await roleOf(w.b.id, w.b.member.id)).toBe("member");
    const [row] = await testDb.db.select().from(invitations).where(eq(invitations.id, w.b.adminInvitation.id));
    expect(row!.acceptedAt).toBeNull();
  });
});

describe("roles and removal", () => {
  it("only owners change roles", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.admin);
    expect((await changeMemberRoleAction({ slug: w.a.slug, userId: w.a.member.id, role: "admin" }))?.serverError).toMatchObject({ code: "forbidden" });
    expect(await roleOf(w.a.id, w.a.member.id)).toBe("member");
    signInAs(w.a.owner);
    expect((await changeMemberRoleAction({ slug: w.a.slug, userId: w.a.member.id, role: "owner" }))?.data).toBeDefined();
    expect(await roleOf(w.a.id, w.a.member.id)).toBe("owner");
  });

  it("an admin removes members but not admins or owners", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.admin);
    expect((await removeMemberAction({ slug: w.a.slug, userId: w.a.owner.id }))?.serverError).toMatchObject({ code: "forbidden" });
    const otherAdmin = await seedUser(testDb.db, `admin2-${w.a.slug}@example.test`);
    await testDb.db.insert(memberships).values({ orgId: w.a.id, userId: otherAdmin.id, role: "admin" });
    expect((await removeMemberAction({ slug: w.a.slug, userId: otherAdmin.id }))?.serverError).toMatchObject({ code: "forbidden" });
    expect(await roleOf(w.a.id, w.a.owner.id)).toBe("owner");
    expect((await removeMemberAction({ slug: w.a.slug, userId: w.a.member.id }))?.data).toBeDefined();
    expect(await roleOf(w.a.id, w.a.member.id)).toBeNull();
  });

  it("a member can leave but cannot remove anyone else", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.member);
    expect((await removeMemberAction({ slug: w.a.slug, userId: w.a.admin.id }))?.serverError).toMatchObject({ code: "forbidden" });
    expect((await removeMemberAction({ slug: w.a.slug, userId: w.a.member.id }))?.data).toMatchObject({ left: true });
    expect(await roleOf(w.a.id, w.a.member.id)).toBeNull();
  });

  it("the last owner can be neither removed nor demoted, even by themself; with two owners one may go", async () => {
    const w = await seedWorld(testDb.db);
    signInAs(w.a.owner);
    expect((await changeMemberRoleAction({ slug: w.a.slug, userId: w.a.owner.id, role: "admin" }))?.serverError).toMatchObject({ code: "conflict" });
    expect((await removeMemberAction({ slug: w.a.slug, userId: w.a.owner.id }))?.serverError).toMatchObject({ code: "conflict" });
    expect(await roleOf(w.a.id, w.a.owner.id)).toBe("owner");

    expect((await changeMemberRoleAction({ slug: w.a.slug, userId: w.a.admin.id, role: "owner" }))?.data).toBeDefined();
    expect((await changeMemberRoleAction({ slug: w.a.slug, userId: w.a.owner.id, role: "member" }))?.data).toBeDefined();
    signInAs(w.a.admin); // now the only owner
    expect((await removeMemberAction({ slug: w.a.slug, userId: w.a.admin.id }))?.serverError).toMatchObject({ code: "conflict" });
    expect(await roleOf(w.a.id, w.a.admin.id)).toBe("owner");
  });

  it("two owners demoting each other at the same time leave one owner", async () => {
    const w = await seedWorld(testDb.db);
    await testDb.db.update(memberships).set({ role: "owner" }).where(and(eq(memberships.orgId, w.a.id), eq(memberships.userId, w.a.admin.id)));
    const { changeMemberRole } = await import("@/lib/orgs/change-member-role");
    const ctx = (user: { id: string }) => ({ orgId: w.a.id, org: { id: w.a.id, slug: w.a.slug, name: "", personal: false }, user: { id: user.id, email: null, name: null }, role: "owner" as const });
    const results = await Promise.allSettled([
      changeMemberRole(testDb.db, ctx(w.a.owner), { userId: w.a.admin.id, role: "member" }),
      changeMemberRole(testDb.db, ctx(w.a.admin), { userId: w.a.owner.id, role: "member" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const owners = await testDb.db.select().from(memberships).where(and(eq(memberships.orgId, w.a.id), eq(memberships.role, "owner")));
    expect(owners).toHaveLength(1);
  });
});
