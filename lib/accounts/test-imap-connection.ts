import type { ConnectionOptions } from "node:tls";
import { checkImapHost } from "@/lib/imap/check-imap-host";
import { closeImap, connectImap, type ImapConnection } from "@/lib/imap/connect-imap";
import { listFolders } from "@/lib/imap/list-folders";
import { type ConnectionFailure, explainConnectionError } from "./explain-connection-error";
import type { ImapSettings } from "./schemas";

export type ConnectionSuccess = {
  ok: true;
  // Gmail's extensions: the account is then synced the Gmail way (All Mail).
  gmail: boolean;
  folders: { path: string; specialUse: string | null; messages: number | null }[];
};

export type ConnectionTestResult = ConnectionSuccess | ConnectionFailure;

export type ConnectionTestOptions = {
  env?: Record<string, string | undefined>;
  // Tests only (self-signed certificates).
  tls?: ConnectionOptions;
};

// A person is waiting for the answer.
const FORM_TIMEOUTS = { connectMs: 10_000, greetingMs: 10_000, commandMs: 20_000 };

/**
 * "Test connection": the host must be allowed (public unless the operator opted in), then a real
 * login and a folder list. Every failure is a message for the form, never an exception.
 */
export async function testImapConnection(settings: ImapSettings, options: ConnectionTestOptions = {}): Promise<ConnectionTestResult> {
  let client: ImapConnection | null = null;
  try {
    const checked = await checkImapHost(settings.host, { env: options.env });
    client = await connectImap(
      { host: checked.host, address: checked.addresses[0], port: settings.port, security: settings.security, user: settings.user },
      { credentials: { kind: "password", password: settings.password }, tls: options.tls, timeouts: FORM_TIMEOUTS },
    );
    const folders = await listFolders(client);
    return {
      ok: true,
      gmail: client.capabilities.has("X-GM-EXT-1"),
      folders: folders.filter((f) => f.selectable).map((f) => ({ path: f.path, specialUse: f.specialUse, messages: f.status?.messages ?? null })),
    };
  } catch (error) {
    return explainConnectionError(error, settings);
  } finally {
    await closeImap(client);
  }
}
