import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { blockedSenders, mailAccounts, organizations } from "@/db/schema";
import type { IncomingMessage, IngestAccount } from "@/lib/ingest/types";
import { parseMessage } from "@/lib/mime/parse-message";

/** An organisation with one IMAP account whose own address is `owner`. */
export async function createAccount(
  db: Database,
  options: { policy?: "all" | "replied" | "none"; owner?: string; blocked?: string[] } = {},
): Promise<IngestAccount> {
  const slug = `org-${crypto.randomBytes(4).toString("hex")}`;
  const [org] = await db.insert(organizations).values({ slug, name: slug, contactPolicy: options.policy ?? "all" }).returning();
  const owner = options.owner ?? "me@example.com";
  const [account] = await db
    .insert(mailAccounts)
    .values({ orgId: org!.id, provider: "imap", emailAddress: owner, imapHost: "127.0.0.1", imapPort: 143, imapUser: owner, authKind: "password" })
    .returning();
  if (options.blocked?.length) await db.insert(blockedSenders).values(options.blocked.map((pattern) => ({ orgId: org!.id, pattern })));
  return { id: account!.id, orgId: org!.id, ownAddresses: [owner] };
}

export type MailSpec = {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  body?: string;
  headers?: string[];
};

/** A small RFC 5322 message; fields left out are omitted from the headers. */
export function mail(spec: MailSpec): Buffer {
  const lines: string[] = [];
  if (spec.from) lines.push(`From: ${spec.from}`);
  if (spec.to) lines.push(`To: ${spec.to}`);
  if (spec.cc) lines.push(`Cc: ${spec.cc}`);
  if (spec.subject !== undefined) lines.push(`Subject: ${spec.subject}`);
  if (spec.date) lines.push(`Date: ${spec.date}`);
  if (spec.messageId) lines.push(`Message-ID: <${spec.messageId}>`);
  if (spec.inReplyTo) lines.push(`In-Reply-To: <${spec.inReplyTo}>`);
  if (spec.references) lines.push(`References: ${spec.references}`);
  lines.push(...(spec.headers ?? []));
  lines.push("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", spec.body ?? "Hello.", "");
  return Buffer.from(lines.join("\r\n"));
}

/** What the sync would hand to ingestMessages for one raw source. */
export async function incoming(source: Buffer, extra: Partial<IncomingMessage> = {}): Promise<IncomingMessage> {
  const parsed = await parseMessage(source);
  return {
    dedupeKey: `sha256:${crypto.createHash("sha256").update(source).digest("hex")}`,
    parsed,
    rawSource: source,
    size: source.length,
    receivedAt: null,
    gmMsgId: null,
    gmThreadId: null,
    ...extra,
  };
}

/** Row counts of every table ingest writes, for one organisation. */
export async function snapshotCounts(db: Database, orgId: string) {
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select
      (select count(*)::int from messages where org_id = ${orgId}) as messages,
      (select count(*)::int from threads where org_id = ${orgId}) as threads,
      (select count(*)::int from message_participants where org_id = ${orgId}) as participants,
      (select count(*)::int from contacts where org_id = ${orgId}) as contacts,
      (select coalesce(sum(message_count), 0)::int from contacts where org_id = ${orgId}) as contact_messages,
      (select count(*)::int from attachments where org_id = ${orgId}) as attachments,
      (select count(*)::int from message_raw where org_id = ${orgId}) as raw`,
  );
  return row!;
}
