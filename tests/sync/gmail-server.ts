import type net from "node:net";
import { createRequire } from "node:module";

// A Gmail stand-in for the X-GM-EXT-1 code paths: hoodiecrow-imap (in-memory, scriptable) plus the
// three small plugins FACTS.md lists: advertise X-GM-EXT-1, serve X-GM-THRID, answer ENABLE with
// `* ENABLED` (else imapflow never turns CONDSTORE on).

type HoodieServer = {
  listen(port: number, host: string, callback: () => void): void;
  close(callback: () => void): void;
  server: net.Server;
  registerCapability(name: string): void;
  fetchHandlers: Record<string, (connection: unknown, message: Record<string, unknown>) => unknown>;
  searchHandlers: Record<string, (connection: unknown, message: Record<string, unknown>, seq: number, value: string) => boolean>;
  messageHandlers: ((connection: unknown, message: Record<string, unknown>, mailbox: unknown) => void)[];
  setCommandHandler(name: string, handler: (connection: HoodieConnection, parsed: Parsed, data: unknown, callback: () => void) => void): void;
  enableAvailable: string[];
  getMailbox(path: string): { messages: Record<string, unknown>[]; HIGHESTMODSEQ?: number } | undefined;
  storage: unknown;
};
type HoodieConnection = { enabled: string[]; send(response: unknown, description: string, parsed: Parsed, data: unknown): void };
type Parsed = { tag: string; attributes?: { type: string; value: string }[] };

export type GmailMessage = { raw: string; msgid: string; thrid: string; labels?: string[]; flags?: string[] };

export type GmailServer = { host: string; port: number; user: string; password: string; server: HoodieServer; stop(): Promise<void> };

const require = createRequire(import.meta.url);

export async function startGmailServer(folders: { all: GmailMessage[]; inbox?: GmailMessage[]; trash?: GmailMessage[]; spam?: GmailMessage[] }): Promise<GmailServer> {
  const hoodiecrow = require("hoodiecrow-imap") as (options: object) => HoodieServer;
  const user = "alice@gmail.test";
  const password = "app-password";
  const toStored = (m: GmailMessage) => ({ raw: m.raw, flags: m.flags ?? [], "X-GM-MSGID": m.msgid, "X-GM-THRID": m.thrid, "X-GM-LABELS": m.labels ?? [] });
  const server = hoodiecrow({
    plugins: ["ID", "SASL-IR", "AUTH-PLAIN", "NAMESPACE", "IDLE", enableWithResponse, "CONDSTORE", "SPECIAL-USE", "UIDPLUS", "MOVE", "X-GM-EXT-1", gmailCapability, threadIds],
    users: { [user]: { password } },
    storage: {
      INBOX: { messages: (folders.inbox ?? []).map(toStored) },
      "": {
        separator: "/",
        folders: {
          "[Gmail]": {
            flags: ["\\Noselect"],
            folders: {
              "All Mail": { "special-use": "\\All", messages: folders.all.map(toStored) },
              Drafts: { "special-use": "\\Drafts" },
              "Sent Mail": { "special-use": "\\Sent" },
              Spam: { "special-use": "\\Junk", messages: (folders.spam ?? []).map(toStored) },
              Starred: { "special-use": "\\Flagged" },
              Trash: { "special-use": "\\Trash", messages: (folders.trash ?? []).map(toStored) },
            },
          },
        },
      },
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function gmailCapability(server: HoodieServer) {
  server.registerCapability("X-GM-EXT-1");
}

function threadIds(server: HoodieServer) {
  server.fetchHandlers["X-GM-THRID"] = (_connection, message) => ({ type: "ATOM", value: String(message["X-GM-THRID"] ?? message["X-GM-MSGID"]) });
  server.searchHandlers["X-GM-THRID"] = (_connection, message, _seq, value) => String(message["X-GM-THRID"]) === value;
}

function enableWithResponse(server: HoodieServer) {
  server.registerCapability("ENABLE");
  server.enableAvailable = [];
  server.setCommandHandler("ENABLE", (connection, parsed, data, callback) => {
    connection.enabled ??= [];
    const enabled: string[] = [];
    for (const attribute of parsed.attributes ?? []) {
      const capability = String(attribute.value).toUpperCase();
      if (server.enableAvailable.includes(capability)) {
        if (!connection.enabled.includes(capability)) connection.enabled.push(capability);
        enabled.push(capability);
      }
    }
    connection.send({ tag: "*", command: "ENABLED", attributes: enabled.map((value) => ({ type: "ATOM", value })) }, "ENABLE", parsed, data);
    connection.send({ tag: parsed.tag, command: "OK", attributes: [{ type: "TEXT", value: "ENABLE completed" }] }, "ENABLE", parsed, data);
    callback();
  });
}
