import type { Database, Transaction } from "@/db/connect";
import { users } from "@/db/schema";
import { SlugTakenError, availableSlug, createOrganization } from "@/lib/orgs/create-organization";

export type NewUser = { email: string; name?: string | null; image?: string | null; emailVerified?: Date | null };

/**
 * Every new user gets a personal organisation they own, created in the same transaction so a
 * user never exists without somewhere to land.
 */
export async function createUserWithPersonalOrg(db: Database | Transaction, data: NewUser) {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: data.email, name: data.name ?? null, image: data.image ?? null, emailVerified: data.emailVerified ?? null })
      .returning();
    const orgName = user.name?.trim() || nameFromEmail(data.email);
    await createPersonalOrg(tx, user.id, orgName);
    return user;
  });
}

/** "ada.lovelace@example.com" → "Ada Lovelace": a readable default until the user names themself. */
export function nameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? email;
  const words = local.split(/[._+-]+/).filter(Boolean);
  if (words.length === 0) return email;
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
}

async function createPersonalOrg(tx: Transaction, userId: string, name: string) {
  // Two people with the same name signing up at once can race for a slug: try the next one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = await availableSlug(tx, attempt === 0 ? name : `${name}-${crypto.randomUUID().slice(0, 4)}`);
    try {
      return await createOrganization(tx, { slug, name, ownerUserId: userId, personal: true });
    } catch (error) {
      if (!(error instanceof SlugTakenError)) throw error;
    }
  }
  throw new Error("Could not find a free slug for the personal organisation");
}
