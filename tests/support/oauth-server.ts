import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Provider, { type Configuration, interactionPolicy } from "oidc-provider";

/*
 * A real OpenID provider (oidc-provider) on loopback standing in for both Google and Microsoft:
 * authorization code + PKCE, refresh tokens (rotated for the Microsoft-like client, as Microsoft
 * does), revocation, and token introspection for Dovecot's oauth2 passdb, so IMAP logins with its
 * access tokens succeed or fail the way Gmail's and Outlook's do. The person at the keyboard is
 * simulated: every login and consent is granted at once, for the mailbox the test chose.
 */

export const GOOGLE_MAIL_SCOPE = "https://mail.google.com/";
export const OUTLOOK_MAIL_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All";

export type OAuthClientName = "google" | "microsoft";

export type OAuthServerOptions = {
  // Access-token lifetime per client, seconds (default 3600).
  accessTokenTtl?: Partial<Record<OAuthClientName, number>>;
  // Who consents when each client asks (default gina.gmail@ / otto.outlook@example.test).
  mailboxes?: Partial<Record<OAuthClientName, string>>;
};

export type TokenRequestRecord = { at: number; clientId: string; grantType: string; status: number; error?: string };
export type IntrospectionRecord = { at: number; active: boolean };

export type OAuthServer = {
  issuer: string;
  clients: Record<OAuthClientName | "dovecot", { id: string; secret: string }>;
  // Allows this app's callback URLs (http://host:port); call before the first flow.
  setAppUrl(appUrl: string): void;
  // The mailbox the next consent of that client is for.
  setMailbox(client: OAuthClientName, email: string): void;
  // Lifetime of access tokens issued from now on, seconds.
  setAccessTokenTtl(client: OAuthClientName, seconds: number): void;
  tokenRequests: TokenRequestRecord[];
  introspections: IntrospectionRecord[];
  // Every token value handed out (access, refresh, id), to prove none is stored in clear.
  issuedSecrets: Set<string>;
  issuedRefreshTokens: string[];
  // Revokes every grant (as a user removing the app's access would): refresh → invalid_grant,
  // introspection → inactive.
  revokeAll(): Promise<void>;
  // A Dovecot passdb block (and its args file) that checks tokens against this server.
  dovecotPassdb(mechanisms?: string[]): string;
  stop(): Promise<void>;
};

const CLIENTS = {
  google: { id: "google-client", secret: "google-secret-0123456789" },
  microsoft: { id: "microsoft-client", secret: "microsoft-secret-0123456789" },
  dovecot: { id: "dovecot", secret: "dovecot-introspection-secret" },
};

const CALLBACK_PATH: Record<OAuthClientName, string> = { google: "google", microsoft: "microsoft-entra-id" };

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mailboxes: Record<OAuthClientName, string> = {
    google: options.mailboxes?.google ?? "gina.gmail@example.test",
    microsoft: options.mailboxes?.microsoft ?? "otto.outlook@example.test",
  };
  const ttls: Partial<Record<OAuthClientName, number>> = { ...options.accessTokenTtl };
  const tokenRequests: TokenRequestRecord[] = [];
  const introspections: IntrospectionRecord[] = [];
  const issuedSecrets = new Set<string>();
  const issuedRefreshTokens: string[] = [];
  const argsDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-oauth2-"));
  fs.chmodSync(argsDir, 0o755);
  let provider: Provider | null = null;

  const clientName = (clientId: string | undefined): OAuthClientName | null =>
    clientId === CLIENTS.google.id ? "google" : clientId === CLIENTS.microsoft.id ? "microsoft" : null;

  const build = (appUrl: string) => {
    const policy = interactionPolicy.base();
    // Microsoft's prompt=select_account (the link flow asks for it); answered with the chosen mailbox.
    policy.add(new interactionPolicy.Prompt({ name: "select_account", requestable: true }), 0);
    const configuration: Configuration = {
      clients: [
        ...(["google", "microsoft"] as const).map((name) => ({
          client_id: CLIENTS[name].id,
          client_secret: CLIENTS[name].secret,
          redirect_uris: [`${appUrl}/api/auth/callback/${CALLBACK_PATH[name]}`],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"] as "code"[],
        })),
        // Dovecot authenticates to the introspection endpoint; it never gets tokens itself.
        { client_id: CLIENTS.dovecot.id, client_secret: CLIENTS.dovecot.secret, grant_types: [], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_post" },
      ],
      // Custom scopes are silently dropped unless listed.
      scopes: ["openid", "offline_access", "email", "profile", GOOGLE_MAIL_SCOPE, OUTLOOK_MAIL_SCOPE],
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
      // next-auth reads the profile from the ID token.
      conformIdTokenClaims: false,
      // Google's access_type=offline is not OIDC: any client allowed the grant gets a refresh token.
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
      rotateRefreshToken: (ctx) => ctx.oidc.client?.clientId === CLIENTS.microsoft.id,
      // Dovecot's oauth2 passdb reads the login name from here (username_attribute = username).
      extraTokenClaims: async (_ctx, token) => ("accountId" in token && token.accountId ? { username: token.accountId } : undefined),
      ttl: {
        AccessToken: (_ctx, _token, client) => ttls[clientName(client?.clientId) ?? "google"] ?? 3600,
        RefreshToken: 86_400,
        Grant: 86_400,
        Session: 86_400,
        Interaction: 600,
        IdToken: 3600,
      },
      expiresWithSession: () => false,
      features: {
        devInteractions: { enabled: false },
        introspection: { enabled: true, allowedPolicy: async (_ctx, client) => client.clientId === CLIENTS.dovecot.id },
        revocation: { enabled: true },
        userinfo: { enabled: true },
      },
      interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: async (_ctx, sub) => ({
        accountId: sub,
        claims: async () => ({ sub, email: sub, email_verified: true, name: displayName(sub), preferred_username: sub }),
      }),
      cookies: { keys: ["threadline-test-oauth-cookie-key"] },
    };
    provider = new Provider(issuer, configuration);
    provider.on("grant.success", (ctx) => {
      tokenRequests.push({ at: Date.now(), clientId: ctx.oidc.client?.clientId ?? "", grantType: String(ctx.oidc.params?.grant_type ?? ""), status: 200 });
    });
    provider.on("grant.error", (ctx, error) => {
      const e = error as { statusCode?: number; error?: string };
      tokenRequests.push({ at: Date.now(), clientId: ctx.oidc.client?.clientId ?? "", grantType: String(ctx.oidc.params?.grant_type ?? ""), status: e.statusCode ?? 400, error: e.error });
    });
  };

  server.on("request", (req, res) => {
    void handle(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!provider) {
      res.statusCode = 503;
      return res.end("setAppUrl() first");
    }
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname.startsWith("/interaction/")) return interact(provider, req, res);
    if (url.pathname === "/auth" && url.searchParams.get("client_id") === CLIENTS.microsoft.id) {
      // Microsoft honours offline_access whatever the prompt; oidc-provider keeps it only with
      // prompt=consent (OIDC Core 11), so the Microsoft-like client always gets that prompt too.
      const prompts = new Set((url.searchParams.get("prompt") ?? "").split(" ").filter(Boolean));
      if (!prompts.has("consent")) {
        prompts.add("consent");
        url.searchParams.set("prompt", [...prompts].join(" "));
        req.url = `${url.pathname}${url.search}`;
      }
    }
    if (url.pathname === "/token" || url.pathname === "/token/introspection") {
      // What was handed out (the request itself is counted by the grant events, see build()).
      void captureAnswer(res).then((answer) => {
        const json = safeJson(answer.body);
        if (url.pathname === "/token/introspection") return introspections.push({ at: Date.now(), active: json?.active === true });
        for (const key of ["access_token", "refresh_token", "id_token"]) if (typeof json?.[key] === "string") issuedSecrets.add(json[key] as string);
        if (typeof json?.refresh_token === "string") issuedRefreshTokens.push(json.refresh_token);
      });
    }
    provider.callback()(req, res);
  }

  async function interact(p: Provider, req: http.IncomingMessage, res: http.ServerResponse) {
    const details = await p.interactionDetails(req, res);
    const name = clientName(details.params.client_id as string) ?? "google";
    const accountId = (details.params.login_hint as string | undefined) ?? mailboxes[name];
    if (details.prompt.name !== "consent") {
      return p.interactionFinished(req, res, { select_account: {}, login: { accountId } }, { mergeWithLastSubmission: false });
    }
    const grant = new p.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
    grant.addOIDCScope(String(details.params.scope));
    return p.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  async function revokeAll() {
    // Revocation answers 200 for a token of another client without revoking it: ask as both.
    for (const token of issuedRefreshTokens) {
      for (const name of ["google", "microsoft"] as const) {
        const credentials = Buffer.from(`${CLIENTS[name].id}:${CLIENTS[name].secret}`).toString("base64");
        await fetch(`${issuer}/token/revocation`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${credentials}` },
          body: new URLSearchParams({ token, token_type_hint: "refresh_token" }),
        });
      }
    }
  }

  return {
    issuer,
    clients: CLIENTS,
    setAppUrl: build,
    setMailbox: (client, email) => {
      mailboxes[client] = email;
    },
    setAccessTokenTtl: (client, seconds) => {
      ttls[client] = seconds;
    },
    tokenRequests,
    introspections,
    issuedSecrets,
    issuedRefreshTokens,
    revokeAll,
    dovecotPassdb: (mechanisms = ["xoauth2", "oauthbearer"]) => {
      const argsFile = path.join(argsDir, `oauth2-${mechanisms.join("-")}.conf`);
      fs.writeFileSync(
        argsFile,
        [
          "introspection_mode = post",
          `introspection_url = ${issuer}/token/introspection`,
          `client_id = ${CLIENTS.dovecot.id}`,
          `client_secret = ${CLIENTS.dovecot.secret}`,
          "username_attribute = username",
          "active_attribute = active",
          "active_value = true",
          "force_introspection = yes",
          "",
        ].join("\n"),
        { mode: 0o644 },
      );
      return `passdb {\n  driver = oauth2\n  mechanisms = ${mechanisms.join(" ")}\n  args = ${argsFile}\n}`;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(argsDir, { recursive: true, force: true });
    },
  };
}

function displayName(email: string): string {
  return email
    .split("@")[0]!
    .split(/[._-]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

function captureAnswer(res: http.ServerResponse): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) chunks.push(Buffer.from(chunk as string));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== "function") chunks.push(Buffer.from(chunk as string));
      const result = (end as (...args: unknown[]) => http.ServerResponse)(chunk, ...rest);
      resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") });
      return result;
    }) as typeof res.end;
  });
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

