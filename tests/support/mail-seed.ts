import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ImapFlow } from "imapflow";
import type { DovecotServer, DovecotUser } from "./dovecot";

// Test-side IMAP helpers: put mail on the test Dovecot and read back what is there, as another
// mail client would (APPEND, STORE, MOVE, EXPUNGE, CREATE/RENAME/DELETE).

export type SeedMessage = {
  subject?: string;
  from?: string;
  to?: string;
  cc?: string;
  body?: string;
  date?: Date;
  messageId?: string;
  inReplyTo?: string;
  // Pads the body with text lines up to about this many bytes in all.
  size?: number;
};

let counter = 0;

/** A plain RFC 5322 message; every call differs (unique Message-ID), so every call is a new message. */
export function buildMessage(message: SeedMessage = {}): Buffer {
  const n = ++counter;
  const id = message.messageId ?? `<seed-${n}-${randomBytes(6).toString("hex")}@example.test>`;
  const headers = [
    `From: ${message.from ?? "Bob Sender <bob@example.test>"}`,
    `To: ${message.to ?? "Alice <alice@example.test>"}`,
    ...(message.cc ? [`Cc: ${message.cc}`] : []),
    `Subject: ${message.subject ?? `Seed message ${n}`}`,
    `Date: ${(message.date ?? new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60))).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${id}`,
    ...(message.inReplyTo ? [`In-Reply-To: ${message.inReplyTo}`, `References: ${message.inReplyTo}`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
  ];
  let body = message.body ?? `Hello Alice,\r\n\r\nThis is seed message number ${n}.\r\n`;
  if (message.size) {
    const line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n";
    const missing = message.size - headers.join("\r\n").length - body.length - 4;
    if (missing > 0) body += line.repeat(Math.ceil(missing / line.length)).slice(0, missing);
  }
  return Buffer.from(`${headers.join("\r\n")}\r\n\r\n${body}`);
}

export function sha256(source: Buffer): string {
  return createHash("sha256").update(source).digest("hex");
}

export async function openSeedClient(server: DovecotServer, user: DovecotUser = server.users[0]!): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.user, pass: user.password },
    logger: false,
    disableAutoIdle: true,
  });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Runs `work` with a fresh seeding connection and logs out after. */
export async function withSeedClient<T>(server: DovecotServer, work: (client: ImapFlow) => Promise<T>, user?: DovecotUser): Promise<T> {
  const client = await openSeedClient(server, user);
  try {
    return await work(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** APPENDs messages (Buffers or SeedMessage specs) and returns their UIDs, in order. */
export async function appendMessages(
  client: ImapFlow,
  folder: string,
  messages: (Buffer | SeedMessage)[],
  options: { flags?: string[]; date?: Date } = {},
): Promise<number[]> {
  const uids: number[] = [];
  for (const m of messages) {
    const source = Buffer.isBuffer(m) ? m : buildMessage(m);
    const result = await client.append(folder, source, options.flags ?? [], options.date);
    if (!result || !result.uid) throw new Error(`APPEND to ${folder} returned no UID`);
    uids.push(result.uid);
  }
  return uids;
}

/** APPENDs over several connections at once (Dovecot takes ~430 APPENDs/s on one). */
export async function appendMany(server: DovecotServer, folder: string, messages: Buffer[], connections = 4): Promise<void> {
  const slices = Array.from({ length: connections }, (_, i) => messages.filter((_, j) => j % connections === i));
  await Promise.all(slices.map((slice) => withSeedClient(server, (client) => appendMessages(client, folder, slice))));
}

export async function setFlags(client: ImapFlow, folder: string, uids: number[], flags: string[], mode: "add" | "remove" | "set" = "add") {
  await inFolder(client, folder, async () => {
    const range = uids.join(",");
    if (mode === "add") await client.messageFlagsAdd(range, flags, { uid: true });
    else if (mode === "remove") await client.messageFlagsRemove(range, flags, { uid: true });
    else await client.messageFlagsSet(range, flags, { uid: true });
  });
}

/** MOVE (RFC 6851); returns source UID → destination UID. */
export async function moveMessages(client: ImapFlow, from: string, uids: number[], to: string): Promise<Map<number, number>> {
  return inFolder(client, from, async () => {
    const result = await client.messageMove(uids.join(","), to, { uid: true });
    return result ? (result.uidMap ?? new Map()) : new Map();
  });
}

/** \Deleted + UID EXPUNGE of exactly these UIDs. */
export async function deleteMessages(client: ImapFlow, folder: string, uids: number[]) {
  await inFolder(client, folder, async () => {
    await client.messageDelete(uids.join(","), { uid: true });
  });
}

export async function listFolderUids(client: ImapFlow, folder: string): Promise<number[]> {
  return inFolder(client, folder, async () => {
    const uids = await client.search({ all: true }, { uid: true });
    return Array.isArray(uids) ? uids : [];
  });
}

export type ServerMessage = { uid: number; flags: string[]; sha256: string };

/** What the server holds in a folder: UID, flags (sorted, without \Recent), SHA-256 of the bytes. */
export async function readFolder(client: ImapFlow, folder: string): Promise<ServerMessage[]> {
  return inFolder(client, folder, async () => {
    if (!client.mailbox || !client.mailbox.exists) return [];
    const out: ServerMessage[] = [];
    for await (const m of client.fetch("1:*", { uid: true, flags: true, source: true }, { uid: false })) {
      out.push({ uid: m.uid, flags: [...(m.flags ?? [])].filter((f) => f !== "\\Recent").sort(), sha256: sha256(m.source!) });
    }
    return out.sort((a, b) => a.uid - b.uid);
  }, true);
}

export async function createFolder(client: ImapFlow, folder: string) {
  await client.mailboxCreate(folder);
}

export async function renameFolder(client: ImapFlow, from: string, to: string) {
  if (client.mailbox && client.mailbox.path === from) await client.mailboxClose();
  await client.mailboxRename(from, to);
}

export async function deleteFolder(client: ImapFlow, folder: string) {
  if (client.mailbox && client.mailbox.path === folder) await client.mailboxClose();
  await client.mailboxDelete(folder);
}

/** Gives the folder a new UIDVALIDITY in place (UIDs unchanged), as a server restore would. */
export async function bumpUidValidity(server: DovecotServer, folder: string, user = server.users[0]!.user): Promise<number> {
  const current = Number((await server.doveadm(["-f", "flow", "mailbox", "status", "-u", user, "uidvalidity", folder])).match(/uidvalidity=(\d+)/)![1]);
  const next = current + 1000;
  await server.doveadm(["mailbox", "update", "-u", user, "--uid-validity", String(next), folder]);
  return next;
}

/**
 * Delivers messages straight into a maildir folder (tmp/ then new/, as an MDA does): thousands per
 * second, for benchmarks. Dovecot assigns UIDs on the next SELECT/STATUS. Maildir storage only.
 */
export function deliverToMaildir(server: DovecotServer, folder: string, messages: Buffer[], user = server.users[0]!.user) {
  if (server.storage !== "maildir") throw new Error("deliverToMaildir needs maildir storage");
  const root = server.mailDir(user);
  const dir = folder.toUpperCase() === "INBOX" ? root : path.join(root, `.${folder.replace(/\//g, ".")}`);
  for (const sub of ["tmp", "new", "cur"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const stamp = Math.floor(Date.now() / 1000);
  messages.forEach((source, i) => {
    const name = `${stamp}.M${i}P${process.pid}R${randomBytes(4).toString("hex")}.threadline,S=${source.length}`;
    fs.writeFileSync(path.join(dir, "tmp", name), source);
    fs.renameSync(path.join(dir, "tmp", name), path.join(dir, "new", name));
  });
  // The mail processes run as nobody.
  chownTree(server.mailDir(user).replace(/\/(Maildir|sdbox)$/, ""), 65534, 65534);
}

function chownTree(dir: string, uid: number, gid: number) {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else fs.chownSync(full, uid, gid);
  }
}

async function inFolder<T>(client: ImapFlow, folder: string, work: () => Promise<T>, readOnly = false): Promise<T> {
  const lock = await client.getMailboxLock(folder, { readOnly });
  try {
    return await work();
  } finally {
    lock.release();
  }
}
