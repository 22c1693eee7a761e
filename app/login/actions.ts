"use server";

import { redirect } from "next/navigation";
import { AuthError, signIn, signOut } from "@/auth";
import { checkSignInRate } from "@/lib/abuse/check-sign-in-rate";
import { requestHeaders } from "@/lib/abuse/request-headers";
import { retryAfterSeconds } from "@/lib/abuse/rate-limits";
import { localSignInEnabled } from "@/lib/auth/local-sign-in";
import { safeCallbackPath as safeCallback } from "@/lib/auth/safe-callback";
import { oauthSignInOptions } from "@/lib/auth/oauth-providers";

export async function signInWithEmail(formData: FormData): Promise<void> {
  const callbackUrl = safeCallback(formData.get("callbackUrl"));
  if (!localSignInEnabled()) redirect(`/login?error=LocalDisabled&callbackUrl=${encodeURIComponent(callbackUrl)}`);
  const email = String(formData.get("email") ?? "");
  await refuseWhenTooMany(callbackUrl, email);
  try {
    await signIn("local", { email, redirectTo: callbackUrl });
  } catch (error) {
    // signIn redirects by throwing; only Auth.js failures are turned into a message.
    if (error instanceof AuthError) redirect(`/login?error=${error.type}&callbackUrl=${encodeURIComponent(callbackUrl)}`);
    throw error;
  }
}

export async function signInWithProvider(formData: FormData): Promise<void> {
  const provider = String(formData.get("provider") ?? "");
  const callbackUrl = safeCallback(formData.get("callbackUrl"));
  if (!oauthSignInOptions().some((option) => option.id === provider)) redirect("/login?error=Configuration");
  await refuseWhenTooMany(callbackUrl, null);
  await signIn(provider, { redirectTo: callbackUrl });
}

export async function signOutAction(formData?: FormData): Promise<void> {
  const callbackUrl = safeCallback(formData?.get("callbackUrl") ?? null);
  await signOut({ redirectTo: callbackUrl === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` });
}

// Back to the form with the wait in words ("Too many attempts. Try again in 40 s.").
async function refuseWhenTooMany(callbackUrl: string, email: string | null) {
  const refused = checkSignInRate(await requestHeaders(), email);
  if (refused) redirect(`/login?error=RateLimited&retryAfter=${retryAfterSeconds(refused.retryAfterMs)}&callbackUrl=${encodeURIComponent(callbackUrl)}`);
}
