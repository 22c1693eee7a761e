import crypto from "node:crypto";
import type { Database } from "@/db/connect";
import { mailAccounts, mailboxes, memberships, messageLocations, organizations, users } from "@/db/schema";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import type { IncomingMessage } from "@/lib/ingest/types";
import type { Address, ParsedAttachment, ParsedMessage } from "@/lib/mime/parsed-message";

/*
 * Hand-made mail for search and usage tests (and the e2e seed): messages go through the real ingest
 * (threads, participants, attachments, the generated search vector), folders and flags through
 * message_locations as the sync writes them.
 */

export type MailSeed = {
  key: string;
  from: string;
  to?: string[];
  cc?: string[];
  subject: string | null;
  body?: string;
  date: string;
  attachments?: string[];
  inReplyTo?: string;
  /** Folder path → flags; a Gmail-style location adds labels. */
  folders?: Record<string, string[]>;
  labels?: string[];
};

export type SeededAccount = { id: string; orgId: string; address: string };

export async function seedUser(db: Database, email: string) {
  const [user] = await db.insert(users).values({ email, name: email.split("@")[0]!.replace(/[._]/g, " ") }).returning();
  return user!;
}

export async function seedOrg(db: Database, name: string, members: { userId: string; role: "owner" | "admin" | "member" }[] = []) {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${crypto.randomBytes(3).toString("hex")}`;
  const [org] = await db.insert(organizations).values({ slug, name }).returning();
  if (members.length) await db.insert(memberships).values(members.map((m) => ({ orgId: org!.id, ...m })));
  return org!;
}

export async function seedAccount(
  db: Database,
  orgId: string,
  address: string,
  extra: Partial<typeof mailAccounts.$inferInsert> = {},
): Promise<SeededAccount> {
  const [account] = await db
    .insert(mailAccounts)
    .values({ orgId, provider: "imap", emailAddress: address, imapHost: "127.0.0.1", imapPort: 993, imapUser: address, authKind: "password", status: "active", ...extra })
    .returning();
  return { id: account!.id, orgId, address };
}

/** Ingests the messages and files them in their folders; returns key → message id. */
export async function seedMail(db: Database, account: SeededAccount, seeds: MailSeed[]): Promise<Record<string, string>> {
  const items = seeds.map((seed) => incomingOf(seed));
  const ids = await db.transaction((tx) => ingestMessages(tx, { id: account.id, orgId: account.orgId, ownAddresses: [account.address] }, items));
  const byKey: Record<string, string> = {};
  for (const [i, seed] of seeds.entries()) byKey[seed.key] = ids.get(items[i]!.dedupeKey)!;

  const folderIds = new Map<string, string>();
  for (const seed of seeds) {
    for (const [path, flags] of Object.entries(seed.folders ?? { INBOX: [] })) {
      if (!folderIds.has(path)) folderIds.set(path, await ensureMailbox(db, account, path));
      await db.insert(messageLocations).values({
        mailboxId: folderIds.get(path)!,
        uid: nextUid++,
        messageId: byKey[seed.key]!,
        orgId: account.orgId,
        accountId: account.id,
        flags,
        labels: seed.labels ?? null,
      });
    }
  }
  return byKey;
}

// UIDs only need to be unique per folder; one counter for the process keeps them so.
let nextUid = 1;

const SPECIAL_USE: Record<string, string> = { Sent: "\\Sent", Trash: "\\Trash", Drafts: "\\Drafts", Junk: "\\Junk", "[Gmail]/All Mail": "\\All" };

async function ensureMailbox(db: Database, account: SeededAccount, path: string): Promise<string> {
  const [row] = await db
    .insert(mailboxes)
    .values({ orgId: account.orgId, accountId: account.id, path, name: path.split("/").pop()!, delimiter: "/", specialUse: SPECIAL_USE[path] ?? null })
    .onConflictDoUpdate({ target: [mailboxes.accountId, mailboxes.path], set: { path } })
    .returning({ id: mailboxes.id });
  return row!.id;
}

function incomingOf(seed: MailSeed): IncomingMessage {
  const body = seed.body ?? "Hello.";
  const attachments: ParsedAttachment[] = (seed.attachments ?? []).map((filename) => ({
    filename,
    contentType: "application/octet-stream",
    size: 1000 + filename.length,
    contentId: null,
    inline: false,
    checksum: null,
    content: null,
  }));
  const parsed: ParsedMessage = {
    messageIdHeader: `${seed.key}@seed.test`,
    inReplyTo: seed.inReplyTo ? `${seed.inReplyTo}@seed.test` : null,
    references: seed.inReplyTo ? [`${seed.inReplyTo}@seed.test`] : [],
    subject: seed.subject,
    from: address(seed.from),
    to: (seed.to ?? []).map(address),
    cc: (seed.cc ?? []).map(address),
    bcc: [],
    replyTo: [],
    sentAt: new Date(seed.date),
    text: body,
    html: null,
    snippet: body.slice(0, 140),
    attachments,
    isBulk: false,
    parseError: null,
  };
  const size = 400 + body.length + attachments.reduce((n, a) => n + a.size, 0);
  return {
    dedupeKey: `sha256:${crypto.createHash("sha256").update(`${seed.key}${crypto.randomUUID()}`).digest("hex")}`,
    parsed,
    rawSource: null,
    size,
    receivedAt: null,
    gmMsgId: null,
    gmThreadId: null,
  };
}

/** "Alice Walker <alice@x.example>" or a bare address. */
function address(text: string): Address {
  const match = /^(.*)<([^>]+)>$/.exec(text.trim());
  return match ? { name: match[1]!.trim() || null, address: match[2]!.trim().toLowerCase() } : { name: null, address: text.trim().toLowerCase() };
}
