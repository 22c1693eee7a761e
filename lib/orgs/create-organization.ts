import { eq } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { memberships, organizations } from "@/db/schema";
import { orgSlugSchema, slugify } from "./slug";

export class SlugTakenError extends Error {
  constructor(slug: string) {
    super(`The organisation slug "${slug}" is already taken`);
  }
}

type CreateOrganizationInput = { slug: string; name?: string; ownerUserId?: string; personal?: boolean };

export async function createOrganization(db: Database | Transaction, input: CreateOrganizationInput) {
  const slug = orgSlugSchema.parse(input.slug);
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ slug, name: input.name?.trim() || slug, personal: input.personal ?? false })
      .onConflictDoNothing({ target: organizations.slug })
      .returning();
    if (!org) throw new SlugTakenError(slug);
    if (input.ownerUserId) await tx.insert(memberships).values({ orgId: org.id, userId: input.ownerUserId, role: "owner" });
    return org;
  });
}

/** Finds a free slug derived from a name ("Ada Lovelace" → ada-lovelace, ada-lovelace-2, …). */
export async function availableSlug(db: Database | Transaction, name: string): Promise<string> {
  const base = slugify(name);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!orgSlugSchema.safeParse(candidate).success) continue;
    const taken = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, candidate));
    if (taken.length === 0) return candidate;
  }
}
