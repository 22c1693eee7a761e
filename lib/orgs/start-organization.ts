import type { Database } from "@/db/connect";
import type { SessionUser } from "@/lib/auth/session";
import { conflict, invalid } from "@/lib/tenancy/errors";
import { SlugTakenError, availableSlug, createOrganization } from "./create-organization";
import { createOrganizationSchema } from "./member-schemas";
import { orgSlugSchema } from "./slug";

/** A signed-in user creates an organisation and becomes its owner. */
export async function startOrganization(db: Database, user: SessionUser, input: unknown) {
  const { name, slug: requested } = createOrganizationSchema.parse(input);
  let slug: string;
  if (requested) {
    const parsed = orgSlugSchema.safeParse(requested);
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? "That slug is not valid.");
    slug = parsed.data;
  } else {
    slug = await availableSlug(db, name);
  }
  try {
    const org = await createOrganization(db, { slug, name, ownerUserId: user.id });
    return { id: org.id, slug: org.slug, name: org.name };
  } catch (error) {
    if (error instanceof SlugTakenError) throw conflict(`The address /${slug} is taken. Pick another.`);
    throw error;
  }
}
