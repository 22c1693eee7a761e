import type { Provider } from "next-auth/providers";
import Google from "next-auth/providers/google";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";

export type SignInOption = { id: string; name: string };

/**
 * Sign-in providers, each enabled only when its credentials are configured. The issuer can be
 * overridden (AUTH_GOOGLE_ISSUER, AUTH_MICROSOFT_ENTRA_ID_ISSUER) so tests point them at a local
 * OIDC server.
 *
 * These ask for identity scopes only. Linking a mailbox (Gmail or Outlook over IMAP) is a separate,
 * later consent with the mail scopes and offline access, whose tokens belong to `mail_accounts`
 * (per organisation), not to the sign-in `accounts` row.
 */
export function oauthProviders(env: NodeJS.ProcessEnv = process.env): Provider[] {
  const providers: Provider[] = [];
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
    providers.push(
      Google({
        clientId: env.AUTH_GOOGLE_ID,
        clientSecret: env.AUTH_GOOGLE_SECRET,
        ...(env.AUTH_GOOGLE_ISSUER ? { issuer: env.AUTH_GOOGLE_ISSUER } : {}),
        authorization: { params: { scope: "openid email profile" } },
        // Avatars are drawn from initials: no remote image is stored or fetched.
        profile: (profile) => ({ id: profile.sub, name: profile.name, email: profile.email, image: null }),
      }),
    );
  }
  if (env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    providers.push(
      MicrosoftEntraID({
        clientId: env.AUTH_MICROSOFT_ENTRA_ID_ID,
        clientSecret: env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
        ...(env.AUTH_MICROSOFT_ENTRA_ID_ISSUER ? { issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER } : {}),
        authorization: { params: { scope: "openid profile email" } },
        // The default profile() fetches a photo from Microsoft Graph; we need neither Graph nor photos.
        profile: (profile) => ({
          id: profile.sub,
          name: profile.name,
          email: profile.email ?? profile.preferred_username,
          image: null,
        }),
      }),
    );
  }
  return providers;
}

export function oauthSignInOptions(env: NodeJS.ProcessEnv = process.env): SignInOption[] {
  const options: SignInOption[] = [];
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) options.push({ id: "google", name: "Google" });
  if (env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET) options.push({ id: "microsoft-entra-id", name: "Microsoft" });
  return options;
}
