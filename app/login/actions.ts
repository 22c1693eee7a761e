"use server";

import { redirect } from "next/navigation";
import { AuthError, signIn, signOut } from "@/auth";
import { localSignInEnabled } from "@/lib/auth/local-sign-in";
import { safeCallbackPath as safeCallback } from "@/lib/auth/safe-callback";
import { oauthSignInOptions } from "@/lib/auth/oauth-providers";

export async function signInWithEmail(formData: FormData): Promise<void> {
  const callbackUrl = safeCallback(formData.get("callbackUrl"));
  if (!localSignInEnabled()) redirect(`/login?error=LocalDisabled&callbackUrl=${encodeURIComponent(callbackUrl)}`);
  try {
    await signIn("local", { email: String(formData.get("email") ?? ""), redirectTo: callbackUrl });
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
  await signIn(provider, { redirectTo: callbackUrl });
}

export async function signOutAction(formData?: FormData): Promise<void> {
  const callbackUrl = safeCallback(formData?.get("callbackUrl") ?? null);
  await signOut({ redirectTo: callbackUrl === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` });
}
