import { eq } from "drizzle-orm";
import { cache } from "react";
import { auth } from "@/auth";
import { db } from "@/db";
import { users } from "@/db/schema";

export type SessionUser = { id: string; email: string | null; name: string | null };

/**
 * The signed-in user, read from the session cookie and confirmed against the database (a JWT can
 * outlive its user). `auth()` is the only boundary tests replace.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, id));
  return user ?? null;
});
