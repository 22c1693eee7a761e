import { and, count, eq } from "drizzle-orm";
import type { Transaction } from "@/db/connect";
import { memberships, organizations } from "@/db/schema";

/**
 * Serialises membership changes of one organisation (row lock on the organisation), so two
 * owners demoting each other at once can never leave it without an owner.
 */
export async function lockMemberships(tx: Transaction, orgId: string) {
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for("update");
}

export async function countOwners(tx: Transaction, orgId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return Number(row?.n ?? 0);
}

export async function findMembership(tx: Transaction, orgId: string, userId: string) {
  const [row] = await tx.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}
