export type AccountFix = "reconnect" | "password" | "relink" | "resume" | "wait" | "sync" | "check_server";

export type AccountProblem = {
  tone: "neutral" | "warn" | "danger";
  // One sentence a person understands, without the server's raw answer.
  title: string;
  // What to do about it.
  fix: string;
  action: AccountFix;
  // When Threadline tries again on its own (throttled, backing off), ISO time.
  retryAt: string | null;
  // The server's own words, for the curious (shown on hover), never a stack trace.
  detail: string | null;
};

type Input = {
  status: "connecting" | "syncing" | "active" | "reconnect_needed" | "error" | "paused";
  statusReason: string | null;
  unlinked: boolean;
  authKind: "password" | "oauth2";
  provider: "gmail" | "outlook" | "imap";
  // The kind of the last failed sync (ImapErrorKind, "internal", "interrupted"…).
  errorKind: string | null;
  lastErrorAt: Date | null;
  nextRunAt: Date | null;
  retryAt: Date | null;
  consecutiveFailures: number;
};

/**
 * What is wrong with a mailbox, in plain words, and the one thing that fixes it: reconnect,
 * enter the new password, wait until a throttle ends, or nothing (it retries on its own).
 * Null when nothing needs saying.
 */
export function explainAccountProblem(input: Input): AccountProblem | null {
  const detail = input.statusReason ? input.statusReason.slice(0, 300) : null;
  if (input.unlinked) {
    return problem("neutral", "Unlinked: the stored credentials were removed; the synced mail is kept.", "Link the mailbox again to resume syncing.", "relink", null, detail);
  }
  if (input.status === "paused") {
    return problem("neutral", "Syncing is paused: no new mail is fetched and the server is not watched.", "Resume to catch up with everything that arrived meanwhile.", "resume", null, detail);
  }
  const reason = (input.statusReason ?? "").toLowerCase();
  if (input.status === "reconnect_needed" || input.errorKind === "auth") {
    if (input.authKind === "oauth2") {
      const who = input.provider === "gmail" ? "Google" : input.provider === "outlook" ? "Microsoft" : "The provider";
      return problem("warn", `${who} no longer accepts Threadline's access to this mailbox (consent revoked, expired or the password changed).`, "Reconnect to grant access again; the synced mail is kept.", "reconnect", null, detail);
    }
    return problem("warn", "The server refused the stored password: it was probably changed, or an app password was revoked.", "Reconnect with the new password (or a new app password).", "password", null, detail);
  }
  if (input.status !== "error" && !input.statusReason) return null;
  if (input.status !== "error" && input.consecutiveFailures === 0) return null;

  const retryAt = input.retryAt ?? input.nextRunAt;
  const retry = retryAt ? retryAt.toISOString() : null;
  const kind = input.errorKind ?? guessKind(reason);
  const tone = input.status === "error" ? "danger" : "warn";
  switch (kind) {
    case "throttled":
      return problem(tone, "The mail server is limiting how often Threadline may connect (throttled).", retry ? "Nothing to do: Threadline waits and tries again on its own." : "Wait a few minutes, then sync again.", "wait", retry, detail);
    case "timeout":
      return problem(tone, "The mail server did not answer in time.", "Threadline retries on its own; if it keeps happening, check that the server is up.", "wait", retry, detail);
    case "network":
      if (reason.includes("tls")) {
        return problem("danger", "The secure connection to the mail server failed (its certificate is not trusted or TLS is misconfigured).", "Reconnect with the server name your provider gives, or ask them to fix the certificate.", "check_server", retry, detail);
      }
      return problem(tone, "Threadline could not reach the mail server.", "It retries on its own; check the server name if this persists.", "wait", retry, detail);
    case "interrupted":
      return problem(tone, "The last sync was cut off (the app restarted while it ran).", "Nothing to do: the next sync continues where it stopped.", "sync", retry, detail);
    case "protocol":
      return problem(tone, folderFrom(input.statusReason) ? `The server refused the folder “${folderFrom(input.statusReason)}”; the other folders are synced.` : "The mail server answered in a way Threadline could not use.", "Try “Sync now”; if it keeps failing, resync that folder or check it in another mail app.", "sync", retry, detail);
    default:
      return problem(tone, "The last sync failed.", input.consecutiveFailures > 1 ? `It failed ${input.consecutiveFailures} times in a row; Threadline keeps retrying with longer pauses.` : "Threadline retries on its own.", "sync", retry, detail);
  }
}

function problem(tone: AccountProblem["tone"], title: string, fix: string, action: AccountFix, retryAt: string | null, detail: string | null): AccountProblem {
  return { tone, title, fix, action, retryAt, detail };
}

function guessKind(reason: string): string {
  if (/throttl|unavailable|too many|limit/.test(reason)) return "throttled";
  if (/timed out|timeout/.test(reason)) return "timeout";
  if (/connection failed|tls failed|econn|enotfound/.test(reason)) return "network";
  if (/server error|refused/.test(reason)) return "protocol";
  return "internal";
}

// Folder failures are recorded as "<path>: <message>" (lib/sync/sync-account.ts).
function folderFrom(reason: string | null): string | null {
  const match = reason?.match(/^([^:]{1,200}): (Server error|Unexpected IMAP failure)/);
  return match ? match[1]! : null;
}
