import { isOAuthMailProvider, type OAuthMailProvider } from "./mail-providers";

export type LinkIntent = { slug: string; provider: OAuthMailProvider; accountId: string | null };

/**
 * A link flow is an ordinary Auth.js sign-in whose callbackUrl is the organisation's accounts page
 * with `link=<provider>` (and `account=<id>` when reconnecting). Auth.js keeps the callbackUrl in
 * its own cookie through the provider round trip; the organisation is re-checked by the guard when
 * the flow returns, so a forged URL links nothing anywhere the user is not a member.
 */
export function linkCallbackPath(intent: LinkIntent): string {
  const params = new URLSearchParams({ link: intent.provider });
  if (intent.accountId) params.set("account", intent.accountId);
  return `/${encodeURIComponent(intent.slug)}/accounts?${params}`;
}

export function parseLinkCallback(url: string | null | undefined): LinkIntent | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url, "http://threadline.invalid");
  } catch {
    return null;
  }
  const match = parsed.pathname.match(/^\/([^/]+)\/accounts\/?$/);
  const provider = parsed.searchParams.get("link");
  if (!match || !isOAuthMailProvider(provider)) return null;
  const accountId = parsed.searchParams.get("account");
  return { slug: decodeURIComponent(match[1]!), provider, accountId: accountId && /^[0-9a-f-]{36}$/i.test(accountId) ? accountId : null };
}

/** The callbackUrl Auth.js stored for this flow (its `authjs.callback-url` cookie). */
export function callbackUrlFromCookies(cookieHeader: string | null): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (name !== "authjs.callback-url" && name !== "__Secure-authjs.callback-url") continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}
