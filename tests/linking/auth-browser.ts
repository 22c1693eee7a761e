import { MAIL_PROVIDERS, type OAuthMailProvider } from "@/lib/oauth/mail-providers";
import { linkCallbackPath } from "@/lib/oauth/link-callback";
import { CookieJar } from "@/tests/support/cookie-jar";

/*
 * A browser reduced to what Auth.js flows need: one cookie jar for the app, one for the OAuth
 * server, redirects followed by hand. Calls the app's real Auth.js handlers (auth.ts) in-process.
 */

export const APP = "http://localhost:3000";

type Handlers = { GET: (request: Request) => Promise<Response>; POST: (request: Request) => Promise<Response> };

export class AuthBrowser {
  readonly app = new CookieJar();
  // The provider's cookies, per flow: each consent starts at the account chooser, and switching
  // accounts inside one oidc-provider session would end it (a logout page) instead.
  provider = new CookieJar();

  constructor(private readonly handlers: Handlers, private readonly issuer: string) {}

  /** Local email sign-in (POST /api/auth/callback/local), as the login form does. */
  async signInLocally(email: string): Promise<void> {
    const csrfToken = await this.csrf();
    const response = await this.handlers.POST(
      this.request(`${APP}/api/auth/callback/local`, { method: "POST", body: new URLSearchParams({ csrfToken, email, callbackUrl: `${APP}/` }) }),
    );
    this.app.store(response);
    if (!/authjs\.session-token=/.test(this.app.header())) throw new Error(`local sign-in failed: ${response.status} ${response.headers.get("location")}`);
  }

  /**
   * "Link Gmail/Outlook": the Auth.js sign-in with the mail scopes and a link callbackUrl, the
   * provider's consent, and the callback. Returns where the app finally sends the browser.
   */
  async link(provider: OAuthMailProvider, slug: string, options: { accountId?: string; scope?: string; callbackPath?: string } = {}): Promise<string> {
    const spec = MAIL_PROVIDERS[provider];
    const csrfToken = await this.csrf();
    const callbackPath = options.callbackPath ?? linkCallbackPath({ slug, provider, accountId: options.accountId ?? null });
    const params = new URLSearchParams({ scope: options.scope ?? spec.scope, ...spec.authorizationParams });
    const start = await this.handlers.POST(
      this.request(`${APP}/api/auth/signin/${spec.authProviderId}?${params}`, {
        method: "POST",
        body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}${callbackPath}` }),
      }),
    );
    this.app.store(start);
    this.provider = new CookieJar();
    let location = start.headers.get("location") ?? "";
    if (!location.startsWith(this.issuer)) throw new Error(`sign-in did not go to the provider: ${start.status} ${location}`);
    for (let hop = 0; hop < 12 && location.startsWith(this.issuer); hop++) {
      const response = await fetch(location, { redirect: "manual", headers: { cookie: this.provider.header() } });
      this.provider.store(response);
      const next = response.headers.get("location");
      if (!next) throw new Error(`the provider stopped at ${location}: ${response.status} ${await response.text()}`);
      location = new URL(next, location).toString();
    }
    const done = await this.handlers.GET(this.request(location));
    this.app.store(done);
    return done.headers.get("location") ?? `(status ${done.status})`;
  }

  async session(): Promise<{ user?: { id: string; email: string } } | null> {
    return (await this.handlers.GET(this.request(`${APP}/api/auth/session`))).json();
  }

  private async csrf(): Promise<string> {
    const response = await this.handlers.GET(this.request(`${APP}/api/auth/csrf`));
    this.app.store(response);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  private request(url: string, init: { method?: string; body?: URLSearchParams } = {}): Request {
    const headers: Record<string, string> = { cookie: this.app.header() };
    if (init.body) headers["content-type"] = "application/x-www-form-urlencoded";
    return new Request(url, { method: init.method ?? "GET", headers, body: init.body });
  }
}
