import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { makeBlockedMatcher } from "@/lib/contacts/match-blocked";
import { type ContactPolicy, backfillContacts, upsertContacts } from "@/lib/contacts/upsert-contacts";
import { cleanLine, cleanNullable } from "@/lib/mime/clean-text";
import { normalizeAddress } from "@/lib/mime/normalize-address";
import { assignThreads } from "@/lib/threads/assign-threads";
import { insertThreads } from "@/lib/threads/insert-threads";
import { mergeThreads } from "@/lib/threads/merge-threads";
import { normalizeSubject } from "@/lib/threads/normalize-subject";
import { refreshThreadStats } from "@/lib/threads/refresh-thread-stats";
import { listParticipants, participantsText, type Participant } from "./message-participants";
import { attachmentColumns, messageColumns, participantColumns, rawColumns } from "./message-rows";
import { chunkRows, inList, insertJsonRows } from "./sql-lists";
import type { IncomingMessage, IngestAccount } from "./types";

// Raw sources of unparseable messages are kept up to this size (message_raw.truncated marks the rest).
export const RAW_SOURCE_CAP = 16 * 1024 * 1024;

export type IngestOptions = { rawSourceCap?: number };

/**
 * Stores a batch of fetched messages for one account: messages (deduplicated on (account, dedupeKey)),
 * threads, participants, contacts, attachments, and the raw source of messages that failed to parse.
 * Returns dedupeKey → message id for every item, whether inserted now or already there.
 *
 * Idempotent: items already stored are skipped before anything is written, so a second run with the
 * same items changes nothing and returns the same ids. Work is per batch, not per message: about ten
 * statements whatever the batch size, each batch table going over as one JSON parameter.
 * Does not touch message_locations or mailbox state (the caller does, in the same transaction).
 */
export async function ingestMessages(
  tx: Transaction,
  account: IngestAccount,
  items: IncomingMessage[],
  options: IngestOptions = {},
): Promise<Map<string, string>> {
  const rawSourceCap = options.rawSourceCap ?? RAW_SOURCE_CAP;
  const ids = new Map<string, string>();
  const unique = new Map<string, IncomingMessage>();
  for (const item of items) if (!unique.has(item.dedupeKey)) unique.set(item.dedupeKey, item);
  if (!unique.size) return ids;

  const settings = await loadOrgSettings(tx, account.orgId);
  const existing = await findExisting(tx, account.id, [...unique.keys()]);
  for (const [key, id] of existing) ids.set(key, id);
  const own = new Set(account.ownAddresses.map((a) => a.trim().toLowerCase()));
  const isOwn = (email: string) => own.has(email);

  let fresh = [...unique.values()].filter((item) => !existing.has(item.dedupeKey)).map((item) => prepare(item, account, isOwn));
  if (!fresh.length) return ids;

  const assignment = await assignThreads(
    tx,
    { orgId: account.orgId, accountId: account.id },
    fresh.map((m) => ({
      key: m.item.dedupeKey,
      messageIdHeader: m.row.message_id_header,
      references: m.row.references,
      gmThreadId: m.row.gm_thrid,
      subject: m.row.subject,
      normalizedSubject: normalizeSubject(m.row.subject),
      at: m.at,
      isBulk: m.row.is_bulk,
      participants: m.otherParticipants,
    })),
  );
  await mergeThreads(tx, account.orgId, assignment.merges);
  for (const m of fresh) m.row.thread_id = assignment.threadOf.get(m.item.dedupeKey) ?? null;
  await insertThreads(tx, account.orgId, assignment.newThreads, fresh.map((m) => ({ threadId: m.row.thread_id, at: m.at, subject: m.row.subject, snippet: m.row.snippet })));

  const inserted = new Set<string>();
  for (const chunk of chunkRows(fresh, 1, (m) => m.weight)) {
    const rows = await queryRows<{ id: string; dedupe_key: string }>(
      tx,
      insertJsonRows("messages", messageColumns, chunk.map((m) => m.row), sql`on conflict (account_id, dedupe_key) do nothing returning t.id, t.dedupe_key`),
    );
    for (const row of rows) {
      ids.set(row.dedupe_key, row.id);
      inserted.add(row.dedupe_key);
    }
  }
  const raced = fresh.some((m) => !inserted.has(m.item.dedupeKey));
  if (raced) {
    // Another transaction stored some of these meanwhile: use its rows and count nothing twice.
    const lost = fresh.filter((m) => !inserted.has(m.item.dedupeKey)).map((m) => m.item.dedupeKey);
    for (const [key, id] of await findExisting(tx, account.id, lost)) ids.set(key, id);
    fresh = fresh.filter((m) => inserted.has(m.item.dedupeKey));
  }

  const contacts = await upsertContacts(
    tx,
    { orgId: account.orgId, accountId: account.id, policy: settings.policy, isOwn, isBlocked: makeBlockedMatcher(settings.blocked) },
    fresh.map((m) => ({ at: m.at, isBulk: m.row.is_bulk, sentByOwner: m.sentByOwner, participants: m.participants })),
  );

  const participantRows = fresh.flatMap((m) =>
    m.participants.map((p) => ({
      message_id: m.row.id,
      org_id: account.orgId,
      role: p.role,
      email: p.email,
      name: p.name,
      contact_id: contacts.contactIds.get(p.email) ?? null,
      account_id: account.id,
      thread_id: m.row.thread_id,
      message_at: m.at?.toISOString() ?? null,
    })),
  );
  for (const chunk of chunkRows(participantRows, 1, (p) => 120 + p.email.length + (p.name?.length ?? 0))) {
    await tx.execute(insertJsonRows("message_participants", participantColumns, chunk, sql`on conflict do nothing`));
  }

  const attachmentRows = fresh.flatMap((m) => attachmentRowsOf(m, account.orgId));
  for (const chunk of chunkRows(attachmentRows, 1, (a) => 300 + (a.content?.length ?? 0))) {
    await tx.execute(insertJsonRows("attachments", attachmentColumns, chunk));
  }

  const rawRows = fresh.filter((m) => m.row.parse_error && m.item.rawSource).map((m) => rawRowOf(m, account.orgId, rawSourceCap));
  for (const chunk of chunkRows(rawRows, 1, (r) => r.source.length, 48 * 1024 * 1024)) {
    await tx.execute(insertJsonRows("message_raw", rawColumns, chunk, sql`on conflict do nothing`));
  }

  const stale = new Set(assignment.touchedExisting);
  if (raced) for (const t of assignment.newThreads) stale.add(t.id);
  if (stale.size) await refreshThreadStats(tx, account.orgId, stale);
  if (raced) await deleteEmptyThreads(tx, account.orgId, assignment.newThreads.map((t) => t.id));
  if (settings.policy === "replied" && contacts.createdIds.length) await backfillContacts(tx, account.orgId, contacts.createdIds);
  return ids;
}

type MessageRow = {
  id: string;
  org_id: string;
  account_id: string;
  thread_id: string | null;
  dedupe_key: string;
  message_id_header: string | null;
  in_reply_to: string | null;
  references: string[];
  gm_msgid: string | null;
  gm_thrid: string | null;
  subject: string | null;
  from_address: string | null;
  from_name: string | null;
  sent_at: string | null;
  received_at: string | null;
  snippet: string | null;
  text_body: string | null;
  html_body: string | null;
  has_attachments: boolean;
  size: number;
  is_bulk: boolean;
  participants_text: string;
  parse_error: string | null;
};

type Prepared = {
  item: IncomingMessage;
  row: MessageRow;
  at: Date | null;
  weight: number;
  participants: Participant[];
  otherParticipants: string[];
  sentByOwner: boolean;
};

function prepare(item: IncomingMessage, account: IngestAccount, isOwn: (email: string) => boolean): Prepared {
  const p = item.parsed;
  const participants = listParticipants(p);
  const addresses = [...new Set(participants.map((x) => x.email))];
  const others = addresses.filter((a) => !isOwn(a));
  const from = normalizeAddress(p.from?.address);
  const sentAt = validDate(p.sentAt);
  const receivedAt = validDate(item.receivedAt);
  const row: MessageRow = {
    id: crypto.randomUUID(),
    org_id: account.orgId,
    account_id: account.id,
    thread_id: null,
    dedupe_key: item.dedupeKey,
    message_id_header: cleanNullable(p.messageIdHeader),
    in_reply_to: cleanNullable(p.inReplyTo),
    references: (p.references ?? []).map((r) => cleanLine(r)).filter(Boolean),
    gm_msgid: item.gmMsgId,
    gm_thrid: item.gmThreadId,
    subject: p.subject ? cleanLine(p.subject) || null : null,
    from_address: from,
    from_name: p.from?.name ? cleanLine(p.from.name) || null : null,
    sent_at: sentAt?.toISOString() ?? null,
    received_at: receivedAt?.toISOString() ?? null,
    snippet: cleanNullable(p.snippet),
    text_body: cleanNullable(p.text),
    html_body: cleanNullable(p.html),
    has_attachments: (p.attachments ?? []).some((a) => !a.inline),
    size: clampInt(item.size),
    is_bulk: Boolean(p.isBulk),
    participants_text: participantsText(participants),
    parse_error: cleanNullable(p.parseError),
  };
  return {
    item,
    row,
    at: sentAt ?? receivedAt,
    weight: 600 + (row.text_body?.length ?? 0) + (row.html_body?.length ?? 0) + row.participants_text.length,
    participants,
    otherParticipants: others.length ? others : addresses,
    sentByOwner: from !== null && isOwn(from),
  };
}

function attachmentRowsOf(m: Prepared, orgId: string) {
  return (m.item.parsed.attachments ?? []).map((a) => ({
    message_id: m.row.id,
    org_id: orgId,
    filename: a.filename ? cleanLine(a.filename) || null : null,
    content_type: cleanLine(a.contentType || "") || "application/octet-stream",
    size: clampInt(a.size),
    content_id: a.contentId ? cleanLine(a.contentId) || null : null,
    inline: Boolean(a.inline),
    checksum: a.checksum ?? null,
    content: a.content ? a.content.toString("base64") : null,
  }));
}

function rawRowOf(m: Prepared, orgId: string, cap: number) {
  const source = m.item.rawSource!;
  // Cut here, or already when fetched (a message above the sync's fetch limit).
  const truncated = source.length > cap || m.item.size > source.length;
  return { message_id: m.row.id, org_id: orgId, source: (truncated ? source.subarray(0, cap) : source).toString("base64"), truncated };
}

async function deleteEmptyThreads(tx: Transaction, orgId: string, threadIds: string[]) {
  if (!threadIds.length) return;
  await tx.execute(sql`delete from threads t where t.org_id = ${orgId} and t.id::text in ${inList(threadIds)}
    and not exists (select 1 from messages m where m.thread_id = t.id)`);
}

async function loadOrgSettings(tx: Transaction, orgId: string): Promise<{ policy: ContactPolicy; blocked: string[] }> {
  const rows = await queryRows<{ contact_policy: ContactPolicy; pattern: string | null }>(
    tx,
    sql`select o.contact_policy, b.pattern from organizations o left join blocked_senders b on b.org_id = o.id where o.id = ${orgId}`,
  );
  if (!rows.length) throw new Error(`ingestMessages: organisation ${orgId} does not exist`);
  return { policy: rows[0]!.contact_policy, blocked: rows.map((r) => r.pattern).filter((p): p is string => Boolean(p)) };
}

async function findExisting(tx: Transaction, accountId: string, keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const rows = await queryRows<{ id: string; dedupe_key: string }>(
      tx,
      sql`select id, dedupe_key from messages where account_id = ${accountId} and dedupe_key in ${inList(keys.slice(i, i + 5000))}`,
    );
    for (const row of rows) found.set(row.dedupe_key, row.id);
  }
  return found;
}

function validDate(value: Date | null | undefined): Date | null {
  if (!(value instanceof Date)) return null;
  const time = value.getTime();
  if (Number.isNaN(time)) return null;
  const year = value.getUTCFullYear();
  return year >= 1 && year <= 9999 ? value : null;
}

function clampInt(value: number | null | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? Math.max(0, Math.min(Math.trunc(n), 2_147_483_647)) : 0;
}
