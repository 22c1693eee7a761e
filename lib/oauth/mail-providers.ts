import type { ImapSecurity } from "@/lib/imap/connect-imap";

export type OAuthMailProvider = "gmail" | "outlook";

type ProviderSpec = {
  // The Auth.js provider that runs the consent (the same one used for signing in, with mail scopes).
  authProviderId: "google" | "microsoft-entra-id";
  label: string;
  // Everything the mailbox needs; IMAP over OAuth2 only (no Graph / Gmail API scopes).
  scope: string;
  mailScope: string;
  authorizationParams: Record<string, string>;
  // Sent with refresh requests (Microsoft expects the scopes again; Google must not get them).
  refreshScope: string | null;
  tokenUrl: string;
  env: { clientId: string; clientSecret: string; issuer: string; imapPrefix: string };
  imap: { host: string; port: number; security: ImapSecurity };
};

export const MAIL_PROVIDERS: Record<OAuthMailProvider, ProviderSpec> = {
  gmail: {
    authProviderId: "google",
    label: "Google",
    scope: "openid email profile https://mail.google.com/",
    mailScope: "https://mail.google.com/",
    // offline + consent: Google only issues a refresh token when the consent screen is shown.
    authorizationParams: { access_type: "offline", prompt: "consent" },
    refreshScope: null,
    tokenUrl: "https://oauth2.googleapis.com/token",
    env: { clientId: "AUTH_GOOGLE_ID", clientSecret: "AUTH_GOOGLE_SECRET", issuer: "AUTH_GOOGLE_ISSUER", imapPrefix: "THREADLINE_GMAIL_IMAP" },
    imap: { host: "imap.gmail.com", port: 993, security: "tls" },
  },
  outlook: {
    authProviderId: "microsoft-entra-id",
    label: "Microsoft",
    scope: "openid profile email offline_access https://outlook.office.com/IMAP.AccessAsUser.All",
    mailScope: "https://outlook.office.com/IMAP.AccessAsUser.All",
    authorizationParams: { prompt: "select_account" },
    refreshScope: "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
    tokenUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    env: {
      clientId: "AUTH_MICROSOFT_ENTRA_ID_ID",
      clientSecret: "AUTH_MICROSOFT_ENTRA_ID_SECRET",
      issuer: "AUTH_MICROSOFT_ENTRA_ID_ISSUER",
      imapPrefix: "THREADLINE_OUTLOOK_IMAP",
    },
    imap: { host: "outlook.office365.com", port: 993, security: "tls" },
  },
};

export const OAUTH_MAIL_PROVIDERS = Object.keys(MAIL_PROVIDERS) as OAuthMailProvider[];

type Env = Record<string, string | undefined>;

export function isOAuthMailProvider(value: unknown): value is OAuthMailProvider {
  return value === "gmail" || value === "outlook";
}

/** The mail provider whose consent runs through this Auth.js provider, if any. */
export function mailProviderForAuthProvider(authProviderId: string): OAuthMailProvider | null {
  return OAUTH_MAIL_PROVIDERS.find((p) => MAIL_PROVIDERS[p].authProviderId === authProviderId) ?? null;
}

/** Linking works when the operator configured the provider's OAuth client (the sign-in one). */
export function mailProviderEnabled(provider: OAuthMailProvider, env: Env = process.env): boolean {
  const spec = MAIL_PROVIDERS[provider].env;
  return Boolean(env[spec.clientId] && env[spec.clientSecret]);
}

export function oauthClientCredentials(provider: OAuthMailProvider, env: Env = process.env): { clientId: string; clientSecret: string } {
  const spec = MAIL_PROVIDERS[provider].env;
  const clientId = env[spec.clientId];
  const clientSecret = env[spec.clientSecret];
  if (!clientId || !clientSecret) throw new OAuthConfigError(`${spec.clientId} and ${spec.clientSecret} must be set to use ${MAIL_PROVIDERS[provider].label} mailboxes`);
  return { clientId, clientSecret };
}

/**
 * Where the provider's IMAP server is: the real one, or THREADLINE_GMAIL_IMAP_HOST/_PORT/_SECURITY
 * (THREADLINE_OUTLOOK_IMAP_… likewise) for a stand-in.
 */
export function mailProviderImap(provider: OAuthMailProvider, env: Env = process.env): { host: string; port: number; security: ImapSecurity } {
  const { imap, env: names } = MAIL_PROVIDERS[provider];
  const port = Number(env[`${names.imapPrefix}_PORT`]);
  const security = env[`${names.imapPrefix}_SECURITY`];
  return {
    host: env[`${names.imapPrefix}_HOST`] || imap.host,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : imap.port,
    security: security === "tls" || security === "starttls" || security === "none" ? security : imap.security,
  };
}

/** The operator's OAuth client is misconfigured: nothing the user can fix by reconnecting. */
export class OAuthConfigError extends Error {
  readonly syncFailureKind = "permanent";
  constructor(message: string) {
    super(message);
    this.name = "OAuthConfigError";
  }
}
