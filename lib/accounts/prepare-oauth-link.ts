import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { linkCallbackPath } from "@/lib/oauth/link-callback";
import { MAIL_PROVIDERS, mailProviderEnabled, type OAuthMailProvider } from "@/lib/oauth/mail-providers";
import { forbidden, invalid, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canManageMailAccount } from "./account-permissions";

export type OAuthLinkStart = {
  // The Auth.js provider to sign in with, and what to ask it for.
  authProviderId: string;
  authorizationParams: Record<string, string>;
  // Where the flow comes back: the accounts page with the link intent (see lib/oauth/link-callback).
  callbackPath: string;
};

/**
 * Checks a "Link Gmail/Outlook" (or "Reconnect") request before the browser leaves for the
 * provider: the provider is configured, and a reconnected account is this organisation's, an
 * OAuth one of that provider, and the member may manage it. The callback checks it all again.
 */
export async function prepareOAuthLink(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "org" | "user" | "role">,
  input: { provider: OAuthMailProvider; accountId?: string },
  env: Record<string, string | undefined> = process.env,
): Promise<OAuthLinkStart> {
  const spec = MAIL_PROVIDERS[input.provider];
  if (input.accountId) {
    const [account] = await db
      .select({ userId: mailAccounts.userId, provider: mailAccounts.provider, authKind: mailAccounts.authKind })
      .from(mailAccounts)
      .where(and(eq(mailAccounts.id, input.accountId), eq(mailAccounts.orgId, ctx.orgId)));
    if (!account) throw notFound("This mailbox is not linked to this organisation.");
    if (!canManageMailAccount({ userId: ctx.user.id, role: ctx.role }, account)) throw forbidden("Only the member who linked this mailbox, or an admin, can reconnect it.");
    if (account.authKind !== "oauth2" || account.provider !== input.provider) throw invalid("This mailbox signs in with a password: update it with the IMAP form.");
  }
  if (!mailProviderEnabled(input.provider, env)) {
    throw invalid(`Linking ${spec.label} mailboxes is not set up on this server: the administrator must set ${spec.env.clientId} and ${spec.env.clientSecret}.`);
  }
  return {
    authProviderId: spec.authProviderId,
    authorizationParams: { scope: spec.scope, ...spec.authorizationParams },
    callbackPath: linkCallbackPath({ slug: ctx.org.slug, provider: input.provider, accountId: input.accountId ?? null }),
  };
}
