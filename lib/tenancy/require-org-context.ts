import { db } from "@/db";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { unauthorized } from "./errors";
import type { GuardOptions, OrgContext } from "./org-context";
import { resolveOrgContext } from "./resolve-org-context";

/** The guard for code running in a request: session → organisation → membership → role. */
export async function requireOrgContext(slug: unknown, options: GuardOptions = {}): Promise<OrgContext> {
  return resolveOrgContext(db, await getSessionUser(), slug, options);
}

/** For the few user-level (not tenant) operations: creating an organisation, accepting an invitation. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw unauthorized();
  return user;
}
