import { notFound, redirect } from "next/navigation";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { isPlatformAdmin } from "./platform-admins";

/**
 * The guard of every /admin page: signed out → sign in; signed in but not a platform admin → the
 * 404 page, so the admin area's existence is not revealed.
 */
export async function requirePlatformAdmin(callbackUrl = "/admin"): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (!isPlatformAdmin(user.email)) notFound();
  return user;
}
