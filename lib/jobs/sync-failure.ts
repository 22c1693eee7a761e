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
    return extra && !error.message.includes(extra) ? `${error.message}: ${extra}` : error.message;
  }
  return String(error);
}
