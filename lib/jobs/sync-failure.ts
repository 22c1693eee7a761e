// Why a sync failed, in the terms the jobs act on: auth failures stop the account until the user
// reconnects, throttling waits for the server, anything else retries and then backs off.
export type SyncFailureKind = "auth" | "throttled" | "transient" | "permanent";
export type SyncFailure = {
  kind: SyncFailureKind;
  message: string;
  retryAfterMs?: number;
  // The sync core already wrote it on the account and its sync run.
  recorded?: boolean;
};

/**
 * Classifies an error from the sync (imapflow errors, lib/imap's typed errors, anything else).
 * Typed errors may carry `syncFailureKind` and `retryAfterMs` themselves; those win.
 */
export function classifySyncFailure(error: unknown): SyncFailure {
  const e = (error ?? {}) as Record<string, unknown>;
  const message = describe(error);
  const retryAfterMs = typeof e.retryAfterMs === "number" ? e.retryAfterMs : undefined;
  if (isKind(e.syncFailureKind)) return { kind: e.syncFailureKind, message, retryAfterMs, ...(e.recorded === true ? { recorded: true } : {}) };
  if (e.name === "ImapError" && typeof e.kind === "string") return fromImapError(e, message, retryAfterMs);
  const code = String(e.serverResponseCode ?? e.code ?? "").toUpperCase();
  const text = `${message} ${String(e.response ?? "")}`;
  if (e.authenticationFailed === true || code === "AUTHENTICATIONFAILED" || code === "AUTHORIZATIONFAILED" || /\[AUTH(ENTICATION|ORIZATION)FAILED\]|invalid credentials|invalid_grant/i.test(text)) {
    return { kind: "auth", message };
  }
  if (code === "THROTTLED" || code === "LIMIT" || /\[THROTTLED\]|too many (simultaneous )?connections|rate limit|\[LIMIT\]/i.test(text)) {
    return { kind: "throttled", message, retryAfterMs: retryAfterMs ?? 60_000 };
  }
  // Network trouble, [UNAVAILABLE], and anything unknown: worth retrying.
  return { kind: "transient", message };
}

// lib/imap's ImapError: auth | throttled | network | timeout | protocol, with `retryable`.
function fromImapError(e: Record<string, unknown>, message: string, retryAfterMs: number | undefined): SyncFailure {
  if (e.kind === "auth") return { kind: "auth", message };
  if (e.kind === "throttled") return { kind: "throttled", message, retryAfterMs: retryAfterMs ?? 60_000 };
  if (e.retryable === false) return { kind: "permanent", message };
  return { kind: "transient", message };
}

function isKind(value: unknown): value is SyncFailureKind {
  return value === "auth" || value === "throttled" || value === "transient" || value === "permanent";
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && !(error instanceof Error) && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  if (error instanceof Error) {
    const extra = (error as { responseText?: string }).responseText;
    if (extra && !error.message.includes(extra)) return `${error.message}: ${extra}`;
    // A database failure ("Failed query: <sql> params: <values>") has its reason in `cause`
    // (the connection was terminated, Postgres is starting up): reason first, no parameters.
    const reason = causeOf(error);
    return reason && !error.message.includes(reason) ? `${reason}; ${error.message.split("\n")[0]!.slice(0, 300)}` : error.message;
  }
  return String(error);
}

// The reason a wrapped error carries in `cause` (e.g. a driver error under drizzle's "Failed query").
function causeOf(error: Error): string {
  const cause = (error as { cause?: { message?: unknown; code?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : "";
  // Refused connections come as an AggregateError with an empty message and only a code.
  if (typeof cause?.message === "string" && cause.message) return `${cause.message}${code ? ` (${code})` : ""}`;
  return code;
}
