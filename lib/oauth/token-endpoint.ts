import { MAIL_PROVIDERS, type OAuthMailProvider } from "./mail-providers";

type Env = Record<string, string | undefined>;
type Fetch = typeof fetch;

const discovered = new Map<string, Promise<string>>();

/**
 * The provider's token endpoint: Google's and Microsoft's fixed ones, or, when the operator points
 * the provider at another issuer (AUTH_GOOGLE_ISSUER, AUTH_MICROSOFT_ENTRA_ID_ISSUER: a tenant, a
 * test server), the one that issuer's discovery document names.
 */
export async function resolveTokenEndpoint(provider: OAuthMailProvider, { env = process.env, fetch: fetchImpl = fetch }: { env?: Env; fetch?: Fetch } = {}): Promise<string> {
  const spec = MAIL_PROVIDERS[provider];
  const issuer = env[spec.env.issuer];
  if (!issuer) return spec.tokenUrl;
  const key = `${provider} ${issuer}`;
  let pending = discovered.get(key);
  if (!pending) {
    pending = discover(issuer, fetchImpl);
    discovered.set(key, pending);
    // A failed lookup is retried next time rather than cached.
    pending.catch(() => discovered.delete(key));
  }
  return pending;
}

async function discover(issuer: string, fetchImpl: Fetch): Promise<string> {
  const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(10_000), headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`Discovery ${url} answered ${response.status}`);
  const document = (await response.json()) as { token_endpoint?: unknown };
  if (typeof document.token_endpoint !== "string") throw new Error(`Discovery ${url} names no token_endpoint`);
  return document.token_endpoint;
}
