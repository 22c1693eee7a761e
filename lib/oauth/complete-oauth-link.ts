import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, users } from "@/db/schema";
import { canManageMailAccount } from "@/lib/accounts/account-permissions";
import { upsertMailAccount } from "@/lib/accounts/upsert-mail-account";
import { isAppError } from "@/lib/tenancy/errors";
import { resolveOrgContext } from "@/lib/tenancy/resolve-org-context";
import { callbackUrlFromCookies, type LinkIntent, parseLinkCallback } from "./link-callback";
import { MAIL_PROVIDERS, mailProviderForAuthProvider, mailProviderImap } from "./mail-providers";
import { readSessionUserId } from "./read-session-user-id";

export type OAuthLinkAccount = {
  provider: string;
  providerAccountId: string;
  access_token?: string;
  refresh_token?: string;
  expires_at?: number;
  scope?: string;
};

export type OAuthLinkProfile = { email?: unknown; preferred_username?: unknown; name?: unknown } | undefined;

export type LinkErrorCode = "missing_scope" | "no_refresh_token" | "no_email" | "wrong_mailbox" | "not_allowed" | "failed";

type Input = {
  db: Database;
  request: Request | undefined;
  secret: string;
  account: OAuthLinkAccount | null | undefined;
  profile: OAuthLinkProfile;
  env?: Record<string, string | undefined>;
};

/**
 * Auth.js `signIn` callback for mailbox linking. A Google or Microsoft consent whose callbackUrl is
 * a link intent (see link-callback.ts) is not a sign-in: the signed-in user's membership of the
 * organisation is checked again, the mailbox is stored (or updated) in mail_accounts with encrypted
 * tokens, and the browser goes back to the accounts page. Returning a path makes Auth.js stop
 * there, so the session stays as it was and no `accounts` row is written for the mailbox.
 * Returns true for everything else (ordinary sign-ins proceed).
 */
export async function completeOAuthLink({ db, request, secret, account, profile, env = process.env }: Input): Promise<true | string> {
  const provider = account ? mailProviderForAuthProvider(account.provider) : null;
  if (!account || !provider || !request) return true;
  const intent = parseLinkCallback(callbackUrlFromCookies(request.headers.get("cookie")));
  if (!intent) return true;
  const back = (code: LinkErrorCode, extra: Record<string, string> = {}) => accountsPath(intent, { linkError: code, provider, ...extra });

  const userId = await readSessionUserId(request, secret);
  const [user] = userId ? await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId)) : [];
  // Linking needs someone signed in; without a session this would have created a user.
  if (!user) return `/login?callbackUrl=${encodeURIComponent(`/${intent.slug}/accounts`)}`;
  if (intent.provider !== provider) return back("failed");

  let org;
  try {
    org = await resolveOrgContext(db, user, intent.slug);
  } catch (error) {
    if (isAppError(error)) return "/login?error=AccessDenied";
    throw error;
  }

  const spec = MAIL_PROVIDERS[provider];
  if (!grantsMail(account.scope, spec.mailScope)) return back("missing_scope");
  if (!account.access_token || !account.refresh_token) return back("no_refresh_token");
  const email = mailboxAddress(profile);
  if (!email) return back("no_email");

  if (intent.accountId) {
    const [existing] = await db
      .select({ emailAddress: mailAccounts.emailAddress, userId: mailAccounts.userId })
      .from(mailAccounts)
      .where(and(eq(mailAccounts.id, intent.accountId), eq(mailAccounts.orgId, org.orgId)));
    if (!existing || !canManageMailAccount({ userId: user.id, role: org.role }, existing)) return back("not_allowed");
    if (existing.emailAddress.toLowerCase() !== email.toLowerCase()) return back("wrong_mailbox", { expected: existing.emailAddress, got: email });
  }

  const imap = mailProviderImap(provider, env);
  const linked = await upsertMailAccount(db, {
    orgId: org.orgId,
    userId: user.id,
    provider,
    emailAddress: email,
    displayName: typeof profile?.name === "string" ? profile.name : null,
    imap: { ...imap, user: email },
    credentials: {
      kind: "oauth2",
      accessToken: account.access_token,
      refreshToken: account.refresh_token,
      expiresAt: account.expires_at ? new Date(account.expires_at * 1000) : null,
      providerAccountId: account.providerAccountId,
    },
  });
  return accountsPath(intent, { linked: linked.id });
}

// A token response may omit `scope` when it is what was asked (RFC 6749 §5.1); Google lets the user
// untick the mail permission, and then says so here. Microsoft may name a resource's scope without
// its resource prefix.
function grantsMail(scope: string | undefined, mailScope: string): boolean {
  if (scope === undefined || scope === "") return true;
  const short = mailScope.slice(mailScope.lastIndexOf("/") + 1);
  return scope.split(/\s+/).some((granted) => granted === mailScope || (short !== "" && granted === short));
}

// Google puts the address in `email`; Microsoft in `email` when the user has one, else the sign-in
// name (`preferred_username`), which is the mailbox address for Exchange Online and outlook.com.
function mailboxAddress(profile: OAuthLinkProfile): string | null {
  for (const value of [profile?.email, profile?.preferred_username]) {
    if (typeof value === "string" && /^[^\s@]+@[^\s@]+$/.test(value.trim())) return value.trim().toLowerCase();
  }
  return null;
}

function accountsPath(intent: LinkIntent, params: Record<string, string>): string {
  return `/${encodeURIComponent(intent.slug)}/accounts?${new URLSearchParams(params)}`;
}
