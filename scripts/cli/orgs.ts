import { asc, count, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { memberships, organizations } from "@/db/schema";
import { createOrganization } from "@/lib/orgs/create-organization";
import { type CliArgs, requirePositional } from "./args";

export async function orgCreate(args: CliArgs, db: Database) {
  const slug = requirePositional(args, 0, "slug");
  const name = typeof args.flags.name === "string" ? args.flags.name : undefined;
  const org = await createOrganization(db, { slug, name });
  return { id: org.id, slug: org.slug, name: org.name, createdAt: org.createdAt };
}

export async function orgList(_args: CliArgs, db: Database) {
  const rows = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, personal: organizations.personal, members: count(memberships.userId), createdAt: organizations.createdAt })
    .from(organizations)
    .leftJoin(memberships, eq(memberships.orgId, organizations.id))
    .groupBy(organizations.id)
    .orderBy(asc(organizations.slug));
  return { organizations: rows };
}
