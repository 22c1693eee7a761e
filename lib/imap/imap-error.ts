import type { ImapFlowError } from "imapflow";

export type ImapErrorKind = "auth" | "throttled" | "network" | "timeout" | "protocol";

const DEFAULT_THROTTLE_MS = 60_000;

/**
 * Every IMAP failure the sync reports, sorted by what the caller should do about it:
 * `auth` → ask the user to reconnect; `throttled`, `network`, `timeout` → retry later
 * (`retryAfterMs` when the server said how long); `protocol` → the server misbehaved.
 * Messages never carry credentials: they come from server response text and socket errors only.
 */
export class ImapError extends Error {
  readonly kind: ImapErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  // imapflow's or Node's code (ETIMEOUT, ECONNREFUSED, ...) and the server's [RESPONSE-CODE].
  readonly code: string | null;
  readonly serverResponseCode: string | null;

  constructor(
    kind: ImapErrorKind,
    message: string,
    details: { retryable?: boolean; retryAfterMs?: number | null; code?: string | null; serverResponseCode?: string | null; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ImapError";
    this.kind = kind;
    this.retryable = details.retryable ?? kind !== "auth";
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.code = details.code ?? null;
    this.serverResponseCode = details.serverResponseCode ?? null;
  }
}

const AUTH_CODES = new Set(["AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED", "PRIVACYREQUIRED"]);
const THROTTLE_CODES = new Set(["THROTTLED", "OVERQUOTA", "UNAVAILABLE", "LIMIT", "INUSE"]);
// Gmail: "[ALERT] Too many simultaneous connections"; Office 365: "Request is throttled. Suggested
// Backoff Time: n milliseconds" (imapflow turns that one into ETHROTTLE when it can read the delay).
const THROTTLE_TEXT = /too many (simultaneous |concurrent )?(connections|logins|sessions)|request is throttled|rate limit/i;
const TIMEOUT_CODES = new Set(["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UPGRADE_TIMEOUT", "ETIMEOUT", "ETIMEDOUT", "LockTimeout"]);
const NETWORK_CODES = new Set([
  "NoConnection", "EConnectionClosed", "ClosedAfterConnectText", "ClosedAfterConnectTLS", "StateLogout",
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH",
  "ENETUNREACH", "ENETDOWN", "EHOSTDOWN", "EPROXY", "ProxyError",
]);

/** Turns whatever imapflow, Node or our own code threw into an ImapError (idempotent). */
export function classifyImapError(error: unknown): ImapError {
  if (error instanceof ImapError) return error;
  const e = (error ?? {}) as ImapFlowError & { code?: string };
  const code = typeof e.code === "string" ? e.code : null;
  const responseCode = (e.serverResponseCode ?? bracketCode(e.responseText) ?? bracketCode(typeof e.response === "string" ? e.response : undefined))?.toUpperCase() ?? null;
  const text = describe(e);
  const details = { code, serverResponseCode: responseCode, cause: error };

  // A login refused with [THROTTLED], [OVERQUOTA], [UNAVAILABLE] (an OAuth server down) or a
  // "too many connections" text is temporary: asking the user to reconnect would be wrong.
  const throttled = code === "ETHROTTLE" || (responseCode !== null && THROTTLE_CODES.has(responseCode)) || THROTTLE_TEXT.test(text);
  if ((e.authenticationFailed && !throttled) || (responseCode && AUTH_CODES.has(responseCode))) {
    return new ImapError("auth", `Authentication failed: ${text}`, { ...details, retryable: false });
  }
  if (throttled) {
    const after = typeof e.throttleReset === "number" && e.throttleReset > 0 ? e.throttleReset : (suggestedBackoffMs(text) ?? DEFAULT_THROTTLE_MS);
    return new ImapError("throttled", `Server is throttling or unavailable: ${text}`, { ...details, retryAfterMs: after });
  }
  if (code && TIMEOUT_CODES.has(code)) return new ImapError("timeout", `Timed out: ${text}`, details);
  if (e.tlsFailed || (code && /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code))) {
    // A certificate problem will not fix itself by retrying.
    return new ImapError("network", `TLS failed: ${text}`, { ...details, retryable: false });
  }
  if (code && NETWORK_CODES.has(code)) return new ImapError("network", `Connection failed: ${text}`, details);
  if (e.responseStatus === "NO" || e.responseStatus === "BAD" || (code && /^Parser|Invalid|TooMany|TooLarge|Unexpected|MissingTag/.test(code))) {
    return new ImapError("protocol", `Server error: ${text}`, { ...details, retryable: false });
  }
  if (error instanceof Error && /socket|connection|closed/i.test(error.message)) return new ImapError("network", `Connection failed: ${text}`, details);
  return new ImapError("protocol", `Unexpected IMAP failure: ${text}`, { ...details, retryable: false });
}

function describe(e: ImapFlowError): string {
  const parts = [e.responseText || e.message || "unknown error"];
  if (e.code && !parts[0]!.includes(e.code)) parts.push(`(${e.code})`);
  // imapflow keeps a BYE's text as `reason` on the connection error that follows it.
  const bye = (e as { reason?: unknown }).reason;
  if (typeof bye === "string" && bye && !parts[0]!.includes(bye)) parts.push(`after the server's BYE: ${bye}`);
  return parts.join(" ").slice(0, 500);
}

/** Office 365's "Suggested Backoff Time: 15000 milliseconds", when it is in a message. */
export function suggestedBackoffMs(text: string | undefined): number | null {
  const match = text?.match(/Backoff Time[:=\s]+(\d+)/i);
  return match ? Number(match[1]) : null;
}

function bracketCode(text: string | undefined): string | null {
  const match = text?.match(/^\s*\[([A-Z-]+)/i);
  return match ? match[1]! : null;
}
