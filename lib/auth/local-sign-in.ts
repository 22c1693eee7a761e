import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/connect";
import { authAccounts, users } from "@/db/schema";
import { createUserWithPersonalOrg, nameFromEmail } from "./create-user";

/**
 * Email-only sign-in without a password or mail server, for the embedded default (a laptop, a
 * trusted network). Anyone who can reach the app can sign in as any address, so production needs
 * an explicit THREADLINE_LOCAL_SIGNIN=1.
 */
export function localSignInEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== "production" || env.THREADLINE_LOCAL_SIGNIN === "1";
}

export const localSignInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
});

export class LocalSignInRefused extends Error {}

/** Finds or creates the user for an address; refused for users who sign in with Google or Microsoft. */
export async function signInLocally(db: Database, input: unknown) {
  const { email } = localSignInSchema.parse(input);
  const [existing] = await db.select().from(users).where(eq(users.email, email));
  if (existing) {
    // An address linked to Google or Microsoft must prove it there, or local sign-in would be a takeover.
    const linked = await db.select({ provider: authAccounts.provider }).from(authAccounts).where(eq(authAccounts.userId, existing.id)).limit(1);
    if (linked.length > 0) throw new LocalSignInRefused(`This address signs in with ${linked[0].provider}.`);
    return existing;
  }
  try {
    return await createUserWithPersonalOrg(db, { email, name: nameFromEmail(email) });
  } catch (error) {
    // A concurrent first sign-in with the same address created the user: use it.
    const [created] = await db.select().from(users).where(eq(users.email, email));
    if (created) return created;
    throw error;
  }
}
