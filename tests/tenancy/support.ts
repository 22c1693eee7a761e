import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, vi } from "vitest";
import { auth } from "@/auth";
import type { Connection, Database } from "@/db/connect";
import { blockedSenders, invitations, mailAccounts, memberships, organizations, remoteImageSenders, users } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { hashInvitationToken } from "@/lib/invitations/token";
import type { Role } from "@/lib/tenancy/permissions";
import { fileTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { seedTenantMail } from "./seed-mail";

/*
 * Tenancy tests run the app's real code (guard, route handlers, server actions, lib, database).
 * The one thing replaced is the session lookup: each test file mocks `@/auth` and `signInAs`
 * decides who `auth()` says is signed in.
 */

export const repoRoot = path.resolve(import.meta.dirname, "../..");

const holder = globalThis as unknown as { threadlineDb?: Connection; threadlineMigrated?: Promise<void> };

/** fileTestDatabase, and the app's `db` singleton points at it from beforeAll to afterAll (useAsAppDatabase). */
export function appTestDatabase(): TestDatabase {
  const database = fileTestDatabase();
  let release = () => {};
  beforeAll(() => {
    release = useAsAppDatabase(database);
  });
  afterAll(() => release());
  return database;
}

/** Points the app's `db` singleton (db/index.ts) at the test database until the returned release(). */
export function useAsAppDatabase(testDb: TestDatabase): () => void {
  holder.threadlineDb = { db: testDb.db, kind: testDb.kind, migrate: async () => {}, close: async () => {} };
  holder.threadlineMigrated = Promise.resolve();
  return () => {
    delete holder.threadlineDb;
    delete holder.threadlineMigrated;
  };
}

export function signInAs(user: { id: string; email?: string | null } | null) {
  const session = user ? { user: { id: user.id, email: user.email ?? null }, expires: new Date(Date.now() + 3_600_000).toISOString() } : null;
  vi.mocked(auth as unknown as () => Promise<unknown>).mockResolvedValue(session);
}

type SeededUser = { id: string; email: string };
type SeededOrg = { id: string; slug: string; owner: SeededUser; admin: SeededUser; member: SeededUser };

export type World = {
  a: SeededOrg;
  b: SeededOrg & {
    invitation: { id: string; token: string };
    adminInvitation: { id: string; token: string };
    revoked: { id: string; token: string };
    // A Gmail mailbox B's member linked.
    mailAccount: { id: string };
    // Mail in that mailbox (a message with a stored attachment, an inline part and its raw source) and a blocklist entry.
    mail: Awaited<ReturnType<typeof seedTenantMail>>;
  };
  outsider: SeededUser;
};

/**
 * Two organisations, each with an owner, an admin and a member, plus pending and revoked
 * invitations in B. Unique slugs and addresses, so every test can seed its own world.
 */
export async function seedWorld(db: Database): Promise<World> {
  const tag = crypto.randomBytes(3).toString("hex");
  const a = await seedOrg(db, `a-${tag}`);
  const b = await seedOrg(db, `b-${tag}`);
  const outsider = await seedUser(db, `outsider-${tag}@example.test`);
  const invitation = await seedInvitation(db, b.id, b.owner.id, "member");
  const adminInvitation = await seedInvitation(db, b.id, b.owner.id, "admin");
  const revoked = await seedInvitation(db, b.id, b.owner.id, "member", { revokedAt: new Date() });
  const mailAccount = await seedMailAccount(db, b.id, b.member.id, `mailbox-${tag}@example.test`);
  const mail = await seedTenantMail(db, b.id, mailAccount.id, tag);
  return { a, b: { ...b, invitation, adminInvitation, revoked, mailAccount, mail }, outsider };
}

export async function seedUser(db: Database, email: string): Promise<SeededUser> {
  const [user] = await db.insert(users).values({ email, name: email.split("@")[0] }).returning();
  return { id: user!.id, email };
}

export async function seedInvitation(
  db: Database,
  orgId: string,
  invitedBy: string,
  role: Role,
  extra: Partial<typeof invitations.$inferInsert> = {},
) {
  const token = crypto.randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(invitations)
    .values({ orgId, role, invitedBy, tokenHash: hashInvitationToken(token), expiresAt: new Date(Date.now() + 86_400_000), ...extra })
    .returning();
  return { id: row!.id, token };
}

export async function seedMailAccount(db: Database, orgId: string, userId: string, email: string) {
  const [row] = await db
    .insert(mailAccounts)
    .values({
      orgId,
      userId,
      provider: "gmail",
      emailAddress: email,
      imapHost: "imap.gmail.com",
      imapPort: 993,
      imapUser: email,
      authKind: "oauth2",
      encryptedAccessToken: encryptSecret("seeded-access-token"),
      encryptedRefreshToken: encryptSecret("seeded-refresh-token"),
      tokenExpiresAt: new Date(Date.now() + 3_600_000),
      status: "active",
    })
    .returning();
  return { id: row!.id };
}

async function seedOrg(db: Database, slug: string): Promise<SeededOrg> {
  const [org] = await db.insert(organizations).values({ slug, name: slug.toUpperCase() }).returning();
  const owner = await seedUser(db, `${slug}-owner@example.test`);
  const admin = await seedUser(db, `${slug}-admin@example.test`);
  const member = await seedUser(db, `${slug}-member@example.test`);
  await db.insert(memberships).values([
    { orgId: org!.id, userId: owner.id, role: "owner" },
    { orgId: org!.id, userId: admin.id, role: "admin" },
    { orgId: org!.id, userId: member.id, role: "member" },
  ]);
  return { id: org!.id, slug, owner, admin, member };
}

/** Every row of the tenancy tables, in a stable order: equal before and after = nothing changed. */
export async function tenancySnapshot(db: Database) {
  return {
    organizations: await db.select().from(organizations).orderBy(asc(organizations.id)),
    memberships: await db.select().from(memberships).orderBy(asc(memberships.orgId), asc(memberships.userId)),
    invitations: await db.select().from(invitations).orderBy(asc(invitations.id)),
    users: await db.select().from(users).orderBy(asc(users.id)),
    mailAccounts: await db.select().from(mailAccounts).orderBy(asc(mailAccounts.id)),
    blockedSenders: await db.select().from(blockedSenders).orderBy(asc(blockedSenders.id)),
    remoteImageSenders: await db
      .select()
      .from(remoteImageSenders)
      .orderBy(asc(remoteImageSenders.orgId), asc(remoteImageSenders.userId), asc(remoteImageSenders.sender)),
  };
}

/** Files under app/ (relative, forward slashes) matching a predicate. */
export function walkApp(predicate: (relativePath: string, source: string) => boolean): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        const relative = path.relative(path.join(repoRoot, "app"), full).split(path.sep).join("/");
        if (predicate(relative, fs.readFileSync(full, "utf8"))) found.push(relative);
      }
    }
  };
  visit(path.join(repoRoot, "app"));
  return found.sort();
}

export function isServerActionFile(source: string): boolean {
  return /^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(source);
}

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
