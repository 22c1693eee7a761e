import type { ConnectionOptions } from "node:tls";
import { ImapFlow, type Logger } from "imapflow";
import { classifyImapError } from "./imap-error";

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

export type ImapConnection = ImapFlow & { threadlineTimeouts: Required<ImapTimeouts> };

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
    logger: options.onCommand ? commandLogger(options.onCommand) : false,
    disableAutoIdle: true,
    qresync: options.qresync ?? true,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    clientInfo: { name: "Threadline" },
  }) as ImapConnection;
  client.threadlineTimeouts = timeouts;
  // imapflow emits 'error' once when a live connection fails; without a listener that would crash
  // the process. The failure also rejects whatever command is in flight, which is where it is handled.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw classifyImapError(error);
  }
  return client;
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

function commandLogger(onCommand: (line: string) => void): Logger {
  const noop = () => {};
  return {
    trace: noop,
    debug: (entry: { src?: string; msg?: string }) => {
      if (entry?.src === "c" && typeof entry.msg === "string") onCommand(entry.msg);
    },
    info: noop,
    warn: noop,
    error: noop,
    fatal: noop,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
