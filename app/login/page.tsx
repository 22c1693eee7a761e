import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/brand";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { tooManyAttemptsMessage } from "@/lib/abuse/rate-limits";
import { localSignInEnabled } from "@/lib/auth/local-sign-in";
import { oauthSignInOptions } from "@/lib/auth/oauth-providers";
import { safeCallbackPath } from "@/lib/auth/safe-callback";
import { getSessionUser } from "@/lib/auth/session";
import { signInWithEmail, signInWithProvider } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That address cannot sign in here. If it uses Google or Microsoft, sign in with them.",
  LocalDisabled: "Email sign-in is turned off on this server. Use one of the providers below.",
  OAuthAccountNotLinked: "This address already signs in another way. Use the provider you used before.",
  AccessDenied: "Sign-in was cancelled or refused.",
  Configuration: "Sign-in is not configured correctly on this server. Ask your administrator.",
};

export default async function LoginPage(props: PageProps<"/login">) {
  const params = await props.searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? (params.error === "RateLimited" ? rateLimitedMessage(params.retryAfter) : (ERRORS[params.error] ?? "Sign-in failed. Try again.")) : null;
  const local = localSignInEnabled();
  const providers = oauthSignInOptions();

  return (
    <AuthCard title="Sign in to Threadline" subtitle="Every conversation with a person or company, in one place.">
      {error ? (
        <p role="alert" className="mb-4 rounded-md border border-danger/20 bg-danger-soft px-3 py-2 text-[12px] text-danger">
          {error}
        </p>
      ) : null}
      {local ? (
        <form action={signInWithEmail} className="flex flex-col gap-3">
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <div>
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" required autoFocus autoComplete="email" placeholder="you@company.com" />
          </div>
          <Button type="submit" variant="primary" size="lg" className="w-full">
            Continue with email
          </Button>
          <p className="text-[11px] leading-4 text-ink-faint">Local sign-in: no password, for this server only.</p>
        </form>
      ) : null}
      {local && providers.length > 0 ? (
        <div className="my-4 flex items-center gap-3 text-[11px] text-ink-faint">
          <span className="h-px flex-1 bg-line" />
          or
          <span className="h-px flex-1 bg-line" />
        </div>
      ) : null}
      {providers.length > 0 ? (
        <div className="flex flex-col gap-2">
          {providers.map((provider) => (
            <form key={provider.id} action={signInWithProvider}>
              <input type="hidden" name="provider" value={provider.id} />
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <Button type="submit" size="lg" className="w-full">
                <ProviderMark id={provider.id} />
                Continue with {provider.name}
              </Button>
            </form>
          ))}
        </div>
      ) : null}
      {!local && providers.length === 0 ? (
        <p className="text-[13px] text-ink-muted">
          No sign-in method is configured. Set AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET, or the Microsoft Entra ID variables, or
          THREADLINE_LOCAL_SIGNIN=1.
        </p>
      ) : null}
    </AuthCard>
  );
}

function rateLimitedMessage(retryAfter: string | string[] | undefined): string {
  const seconds = Number(typeof retryAfter === "string" ? retryAfter : NaN);
  return Number.isInteger(seconds) && seconds > 0 && seconds < 3600 ? tooManyAttemptsMessage(seconds * 1000) : "Too many attempts. Wait a minute and try again.";
}

function ProviderMark({ id }: { id: string }) {
  if (id === "google") {
    return (
      <svg viewBox="0 0 24 24" className="size-4" aria-hidden>
        <path fill="#4285F4" d="M22.5 12.3c0-.8-.1-1.5-.2-2.2H12v4.2h5.9a5 5 0 0 1-2.2 3.3v2.7h3.5c2.1-1.9 3.3-4.7 3.3-8Z" />
        <path fill="#34A853" d="M12 23c3 0 5.5-1 7.2-2.7l-3.5-2.7c-1 .7-2.2 1-3.7 1-2.9 0-5.3-1.9-6.2-4.5H2.2v2.8A11 11 0 0 0 12 23Z" />
        <path fill="#FBBC05" d="M5.8 14.1a6.6 6.6 0 0 1 0-4.2V7.1H2.2a11 11 0 0 0 0 9.8l3.6-2.8Z" />
        <path fill="#EA4335" d="M12 5.4c1.6 0 3 .6 4.2 1.6l3.1-3.1A11 11 0 0 0 2.2 7.1l3.6 2.8C6.7 7.3 9.1 5.4 12 5.4Z" />
      </svg>
    );
  }
  return (
    <svg viewBox="0 0 24 24" className="size-4" aria-hidden>
      <path fill="#F25022" d="M2 2h9.5v9.5H2z" />
      <path fill="#7FBA00" d="M12.5 2H22v9.5h-9.5z" />
      <path fill="#00A4EF" d="M2 12.5h9.5V22H2z" />
      <path fill="#FFB900" d="M12.5 12.5H22V22h-9.5z" />
    </svg>
  );
}
