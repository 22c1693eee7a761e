export type RefreshedTokens = {
  accessToken: string;
  // Present when the provider rotated it (Microsoft does on every refresh).
  refreshToken: string | null;
  expiresAt: Date | null;
  scope: string | null;
};

export type RefreshRequest = {
  tokenUrl: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  scope?: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

/** The grant is gone (revoked consent, expired or reused refresh token, password change): only the user can fix it. */
export class OAuthGrantRevokedError extends Error {
  readonly syncFailureKind = "auth";
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = "OAuthGrantRevokedError";
  }
}

/** The token endpoint could not be reached or failed on its side: try again later. */
export class OAuthTemporaryError extends Error {
  readonly syncFailureKind = "transient";
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = "OAuthTemporaryError";
  }
}

/** The provider refused Threadline's own client (wrong id/secret, disabled app): the operator must act. */
export class OAuthClientRejectedError extends Error {
  readonly syncFailureKind = "permanent";
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = "OAuthClientRejectedError";
  }
}

const CLIENT_ERRORS = new Set(["invalid_client", "unauthorized_client", "unsupported_grant_type"]);

/**
 * One `grant_type=refresh_token` request (RFC 6749 §6), client authenticated with HTTP Basic as
 * Auth.js does for the code exchange. Never puts a token in an error message.
 */
export async function requestTokenRefresh(request: RefreshRequest): Promise<RefreshedTokens> {
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: request.refreshToken });
  if (request.scope) body.set("scope", request.scope);
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(request.tokenUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        authorization: `Basic ${Buffer.from(`${formEncode(request.clientId)}:${formEncode(request.clientSecret)}`).toString("base64")}`,
      },
      body,
      signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new OAuthTemporaryError(`The token endpoint could not be reached: ${(error as Error).message}`);
  }
  const payload = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok && payload && typeof payload.access_token === "string" && payload.access_token) {
    const expiresIn = Number(payload.expires_in);
    return {
      accessToken: payload.access_token,
      refreshToken: typeof payload.refresh_token === "string" && payload.refresh_token ? payload.refresh_token : null,
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null,
      scope: typeof payload.scope === "string" ? payload.scope : null,
    };
  }
  const code = typeof payload?.error === "string" ? payload.error : "";
  const description = typeof payload?.error_description === "string" ? ` (${payload.error_description.slice(0, 200)})` : "";
  if (code === "invalid_grant") throw new OAuthGrantRevokedError(`The provider refused the stored permission: invalid_grant${description}`, code);
  if (CLIENT_ERRORS.has(code)) throw new OAuthClientRejectedError(`The provider refused Threadline's OAuth client: ${code}${description}`, code);
  if (response.status === 429 || response.status >= 500 || !code) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new OAuthTemporaryError(`The token endpoint answered ${response.status}${code ? ` ${code}` : ""}${description}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
  // invalid_request, invalid_scope and the like: a request the provider will keep refusing.
  throw new OAuthClientRejectedError(`The token endpoint refused the refresh: ${code}${description}`, code);
}

// RFC 6749 §2.3.1: id and secret are form-encoded before being joined for Basic authentication.
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}
