import type { ConnectionOptions } from "node:tls";
import { ImapFlow, type Logger } from "imapflow";
import { ImapError, classifyImapError } from "./imap-error";

export type ImapSecurity = "tls" | "starttls" | "none";

export type ImapCredentials = { kind: "password"; password: string } | { kind: "oauth2"; accessToken: string };

export type ImapEndpoint = {
  host: string;
  port: number;
  security: ImapSecurity;
  user: string;
  // Connect here instead of resolving `host` again (an address checked by checkImapHost); `host`
  // stays the TLS servername so the certificate is still verified against the name.
  address?: string;
};

export type ImapTimeouts = {
  // DNS + TCP + TLS handshake.
  connectMs?: number;
  greetingMs?: number;
  // Socket inactivity while a command is in flight.
  socketMs?: number;
  // Any single command (see withImapTimeout); fetches use it as an inactivity limit.
  commandMs?: number;
};

export type ConnectImapOptions = {
  credentials: ImapCredentials;
  timeouts?: ImapTimeouts;
  // Extra TLS options; tests pass { rejectUnauthorized: false } for a self-signed certificate.
  tls?: ConnectionOptions;
  // Sees every command line sent (credentials masked by imapflow), e.g. to count FETCHes in tests.
  onCommand?: (line: string) => void;
  // Ask for QRESYNC when offered (VANISHED responses); default true.
  qresync?: boolean;
};

export const DEFAULT_TIMEOUTS: Required<ImapTimeouts> = {
  connectMs: 30_000,
  greetingMs: 16_000,
  socketMs: 120_000,
  commandMs: 120_000,
};

export type ImapConnection = ImapFlow & {
  threadlineTimeouts: Required<ImapTimeouts>;
  // The last back-off a server asked for ("Request is throttled. Suggested Backoff Time: n
  // milliseconds"), when imapflow saw it. imapflow waits part of it out before failing the command,
  // and a BYE or a timeout during that wait loses the hint: see throttledSince().
  threadlineThrottle: { hintMs: number; at: number } | null;
};

/**
 * Opens an authenticated IMAP session (implicit TLS, STARTTLS or plain) with a password or an OAuth2
 * access token. Throws ImapError; never logs or embeds credentials. Auto-IDLE is off: a sync drives
 * the connection itself, and an IDLE between two commands would only add round trips.
 */
export async function connectImap(endpoint: ImapEndpoint, options: ConnectImapOptions): Promise<ImapConnection> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
  const auth =
    options.credentials.kind === "password"
      ? { user: endpoint.user, pass: options.credentials.password }
      : { user: endpoint.user, accessToken: options.credentials.accessToken };
  const tls: ConnectionOptions = { ...options.tls };
  const client = new ImapFlow({
    host: endpoint.address ?? endpoint.host,
    servername: endpoint.address && endpoint.address !== endpoint.host ? endpoint.host : undefined,
    port: endpoint.port,
    secure: endpoint.security === "tls",
    doSTARTTLS: endpoint.security === "starttls" ? true : endpoint.security === "none" ? false : undefined,
    tls,
    auth,
    logger: connectionLogger(options.onCommand, (hintMs) => {
      client.threadlineThrottle = { hintMs, at: Date.now() };
    }),
    disableAutoIdle: true,
    qresync: options.qresync ?? true,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    clientInfo: { name: "Threadline" },
  }) as ImapConnection;
  client.threadlineTimeouts = timeouts;
  client.threadlineThrottle = null;
  // imapflow emits 'error' once when a live connection fails; without a listener that would crash
  // the process. The failure also rejects whatever command is in flight, which is where it is handled.
  client.on("error", () => {});
  const began = Date.now();
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw throttledSince(client, began, error) ?? classifyImapError(error);
  }
  return client;
}

/**
 * A failure after the server asked to back off (Office 365 answers "BAD Request is throttled.
 * Suggested Backoff Time: n milliseconds" and often closes the connection at once): the failure is
 * the throttling, and the server's delay is what the next attempt must wait. Null otherwise.
 */
export function throttledSince(client: ImapFlow, since: number, error: unknown): ImapError | null {
  const throttle = (client as Partial<ImapConnection>).threadlineThrottle;
  if (!throttle || throttle.at < since) return null;
  const failure = classifyImapError(error);
  // Already says so (imapflow's ETHROTTLE carries the delay), or a refusal of its own.
  if (failure.kind === "throttled" || failure.kind === "auth") return failure;
  return new ImapError("throttled", `Server is throttling: it asked to back off for ${throttle.hintMs} ms (then: ${failure.message})`, {
    retryAfterMs: throttle.hintMs,
    code: "ETHROTTLE",
    cause: error,
  });
}

/** Logs out politely when possible, and always releases the socket. */
export async function closeImap(client: ImapFlow | null | undefined): Promise<void> {
  if (!client) return;
  if (client.usable) {
    try {
      await Promise.race([client.logout(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    } catch {
      // closing anyway
    }
  }
  client.close();
}

// Only the levels that are used: imapflow builds no debug entries for a logger without `debug`.
function connectionLogger(onCommand: ((line: string) => void) | undefined, onThrottle: (hintMs: number) => void): Logger {
  const noop = () => {};
  return {
    ...(onCommand
      ? {
          debug: (entry: { src?: string; msg?: string }) => {
            if (entry?.src === "c" && typeof entry.msg === "string") onCommand(entry.msg);
          },
        }
      : {}),
    warn: (entry: { msg?: string; throttleDelay?: unknown }) => {
      if (entry?.msg === "Throttling detected" && typeof entry.throttleDelay === "number") onThrottle(entry.throttleDelay);
    },
    error: noop,
    fatal: noop,
    // imapflow's Logger type asks for every level; it checks each one is there before using it.
  } as unknown as Logger;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
