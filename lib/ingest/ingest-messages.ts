import { and, eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { attachments, messageParticipants, messageRaw, messages, threads } from "@/db/schema";
import { makeBlockedMatcher } from "@/lib/contacts/match-blocked";
import { type ContactPolicy, backfillContacts, upsertContacts } from "@/lib/contacts/upsert-contacts";
import { cleanLine, cleanNullable } from "@/lib/mime/clean-text";
import { assignThreads } from "@/lib/threads/assign-threads";
import { mergeThreads } from "@/lib/threads/merge-threads";
import { normalizeSubject } from "@/lib/threads/normalize-subject";
import { refreshThreadStats } from "@/lib/threads/refresh-thread-stats";
import { listParticipants, participantsText, type Participant } from "./message-participants";
import { chunkRows, isoOrNull } from "./sql-lists";
import type { IncomingMessage, IngestAccount } from "./types";

// Raw sources of unparseable messages are kept up to this size (message_raw.truncated marks the rest).
export const RAW_SOURCE_CAP = 16 * 1024 * 1024;

/**
 * Stores a batch of fetched messages for one account: messages (deduplicated on (account, dedupeKey)),
 * threads, participants, contacts, attachments, and the raw source of messages that failed to parse.
 * Returns dedupeKey → message id for every item, whether inserted now or already there.
 *
 * Idempotent: items already stored are skipped before anything is written, so a second run with the
 * same items changes nothing and returns the same ids. Work is per batch, not per message: about ten
 * statements whatever the batch size (bigger batches are cut to fit Postgres' parameter limit).
 * Does not touch message_locations or mailbox state (the caller does, in the same transaction).
 */
export async function ingestMessages(tx: Transaction, account: IngestAccount, items: IncomingMessage[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const unique = new Map<string, IncomingMessage>();
  for (const item of items) if (!unique.has(item.dedupeKey)) unique.set(item.dedupeKey, item);
  if (!unique.size) return ids;

  const [settings, existing] = await Promise.all([loadOrgSettings(tx, account.orgId), findExisting(tx, account.id, [...unique.keys()])]);
  for (const [key, id] of existing) ids.set(key, id);
  const own = new Set(account.ownAddresses.map((a) => a.trim().toLowerCase()));
  const isOwn = (email: string) => own.has(email);

  let fresh = [...unique.values()].filter((item) => !existing.has(item.dedupeKey)).map((item) => prepare(item, isOwn));
  if (!fresh.length) return ids;

  const assignment = await assignThreads(
    tx,
    { orgId: account.orgId, accountId: account.id },
    fresh.map((m) => ({
      key: m.item.dedupeKey,
      messageIdHeader: m.item.parsed.messageIdHeader,
      references: m.item.parsed.references ?? [],
      gmThreadId: m.item.gmThreadId,
      subject: m.subject,
      normalizedSubject: normalizeSubject(m.subject),
      at: m.at,
      isBulk: m.item.parsed.isBulk,
      participants: m.otherParticipants,
    })),
  );
  await mergeThreads(tx, account.orgId, assignment.merges);
  if (assignment.newThreads.length) {
    for (const chunk of chunkRows(assignment.newThreads, 4)) {
      await tx.insert(threads).values(
        chunk.map((t) => ({ id: t.id, orgId: account.orgId, subject: t.subject, normalizedSubject: t.normalizedSubject })),
      );
    }
  }

  const inserted = new Set<string>();
  for (const chunk of chunkRows(fresh, 24, (m) => (m.item.parsed.text?.length ?? 0) + (m.item.parsed.html?.length ?? 0))) {
    const rows = await tx
      .insert(messages)
      .values(chunk.map((m) => messageRow(m, account, assignment.threadOf.get(m.item.dedupeKey) ?? null)))
      .onConflictDoNothing({ target: [messages.accountId, messages.dedupeKey] })
      .returning({ id: messages.id, dedupeKey: messages.dedupeKey });
    for (const row of rows) {
      ids.set(row.dedupeKey, row.id);
      inserted.add(row.dedupeKey);
    }
  }
  const raced = fresh.filter((m) => !inserted.has(m.item.dedupeKey));
  if (raced.length) {
    // Another transaction stored some of these meanwhile: use its rows, count nothing twice.
    for (const [key, id] of await findExisting(tx, account.id, raced.map((m) => m.item.dedupeKey))) ids.set(key, id);
    fresh = fresh.filter((m) => inserted.has(m.item.dedupeKey));
  }

  const blocked = makeBlockedMatcher(settings.blocked);
  const contacts = await upsertContacts(
    tx,
    { orgId: account.orgId, policy: settings.policy, isOwn, isBlocked: blocked },
    fresh.map((m) => ({ at: m.at, isBulk: m.item.parsed.isBulk, sentByOwner: m.sentByOwner, participants: m.participants })),
  );

  const participantRows = fresh.flatMap((m) =>
    m.participants.map((p) => ({
      messageId: m.id,
      orgId: account.orgId,
      role: p.role,
      email: p.email,
      name: p.name,
      contactId: contacts.contactIds.get(p.email) ?? null,
    })),
  );
  for (const chunk of chunkRows(participantRows, 6)) await tx.insert(messageParticipants).values(chunk).onConflictDoNothing();

  const attachmentRows = fresh.flatMap((m) =>
    (m.item.parsed.attachments ?? []).map((a) => ({
      messageId: m.id,
      orgId: account.orgId,
      filename: a.filename ? cleanLine(a.filename) || null : null,
      contentType: cleanLine(a.contentType || "application/octet-stream") || "application/octet-stream",
      size: Math.max(0, Math.min(a.size ?? 0, 2_147_483_647)),
      contentId: a.contentId ? cleanLine(a.contentId) || null : null,
      inline: Boolean(a.inline),
      checksum: a.checksum,
      content: a.content ?? null,
    })),
  );
  for (const chunk of chunkRows(attachmentRows, 9, (a) => a.content?.length ?? 0)) await tx.insert(attachments).values(chunk);

  const rawRows = fresh
    .filter((m) => m.item.parsed.parseError && m.item.rawSource)
    .map((m) => {
      const source = m.item.rawSource!;
      const truncated = source.length > RAW_SOURCE_CAP;
      return { messageId: m.id, orgId: account.orgId, source: truncated ? source.subarray(0, RAW_SOURCE_CAP) : source, truncated };
    });
  for (const chunk of chunkRows(rawRows, 4, (r) => r.source.length, 32 * 1024 * 1024)) {
    await tx.insert(messageRaw).values(chunk).onConflictDoNothing();
  }

  const stale = new Set(assignment.touchedExisting);
  if (raced.length) for (const t of assignment.newThreads) stale.add(t.id);
  else await fillNewThreadStats(tx, account.orgId, assignment.newThreads.map((t) => t.id), fresh, assignment.threadOf);
  if (stale.size) await refreshThreadStats(tx, account.orgId, stale);
  if (raced.length) await deleteEmptyThreads(tx, account.orgId, assignment.newThreads.map((t) => t.id));
  if (settings.policy === "replied" && contacts.createdIds.length) await backfillContacts(tx, account.orgId, contacts.createdIds);
  return ids;
}

type Prepared = {
  id: string;
  item: IncomingMessage;
  subject: string | null;
  at: Date | null;
  participants: Participant[];
  otherParticipants: string[];
  sentByOwner: boolean;
};

function prepare(item: IncomingMessage, isOwn: (email: string) => boolean): Prepared {
  const participants = listParticipants(item.parsed);
  const addresses = [...new Set(participants.map((p) => p.email))];
  const others = addresses.filter((a) => !isOwn(a));
  const from = item.parsed.from?.address ?? null;
  return {
    id: crypto.randomUUID(),
    item,
    subject: item.parsed.subject ? cleanLine(item.parsed.subject) || null : null,
    at: validDate(item.parsed.sentAt) ?? validDate(item.receivedAt),
    participants,
    otherParticipants: others.length ? others : addresses,
    sentByOwner: from !== null && isOwn(from),
  };
}

function messageRow(m: Prepared, account: IngestAccount, threadId: string | null) {
  const p = m.item.parsed;
  return {
    id: m.id,
    orgId: account.orgId,
    accountId: account.id,
    threadId,
    dedupeKey: m.item.dedupeKey,
    messageIdHeader: cleanNullable(p.messageIdHeader),
    inReplyTo: cleanNullable(p.inReplyTo),
    references: (p.references ?? []).map((r) => cleanLine(r)).filter(Boolean),
    gmMsgId: m.item.gmMsgId,
    gmThreadId: m.item.gmThreadId,
    subject: m.subject,
    fromAddress: p.from?.address ?? null,
    fromName: p.from?.name ? cleanLine(p.from.name) || null : null,
    sentAt: validDate(p.sentAt),
    receivedAt: validDate(m.item.receivedAt),
    snippet: cleanNullable(p.snippet),
    textBody: cleanNullable(p.text),
    htmlBody: cleanNullable(p.html),
    hasAttachments: (p.attachments ?? []).some((a) => !a.inline),
    size: Math.max(0, Math.min(m.item.size ?? 0, 2_147_483_647)),
    isBulk: Boolean(p.isBulk),
    participantsText: participantsText(m.participants),
    parseError: cleanNullable(p.parseError),
  };
}

/** New threads hold only this batch's messages, so their figures are computed here instead of re-read. */
async function fillNewThreadStats(tx: Transaction, orgId: string, threadIds: string[], fresh: Prepared[], threadOf: Map<string, string>) {
  if (!threadIds.length) return;
  const stats = new Map<string, { count: number; first: Prepared | null; last: Prepared | null; firstAt: Date | null; lastAt: Date | null }>();
  for (const id of threadIds) stats.set(id, { count: 0, first: null, last: null, firstAt: null, lastAt: null });
  for (const m of fresh) {
    const s = stats.get(threadOf.get(m.item.dedupeKey) ?? "");
    if (!s) continue;
    s.count += 1;
    if (!s.first || (m.at && (!s.firstAt || m.at < s.firstAt))) s.first = m;
    if (!s.last || (m.at && (!s.lastAt || m.at >= s.lastAt))) s.last = m;
    if (m.at && (!s.firstAt || m.at < s.firstAt)) s.firstAt = m.at;
    if (m.at && (!s.lastAt || m.at > s.lastAt)) s.lastAt = m.at;
  }
  const rows = [...stats].filter(([, s]) => s.count > 0);
  for (const chunk of chunkRows(rows, 6)) {
    const values = sql.join(
      chunk.map(
        ([id, s]) =>
          sql`(${id}::uuid, ${s.count}::int, ${isoOrNull(s.firstAt)}::timestamptz, ${isoOrNull(s.lastAt)}::timestamptz, ${s.first?.subject ?? null}, ${cleanNullable(s.last?.item.parsed.snippet) ?? null})`,
      ),
      sql`, `,
    );
    await tx.execute(sql`
      update threads t set message_count = v.message_count, first_message_at = v.first_at, last_message_at = v.last_at,
        subject = coalesce(v.subject, t.subject), snippet = v.snippet
      from (values ${values}) as v(id, message_count, first_at, last_at, subject, snippet)
      where t.id = v.id and t.org_id = ${orgId}`);
  }
}

async function deleteEmptyThreads(tx: Transaction, orgId: string, threadIds: string[]) {
  if (!threadIds.length) return;
  await tx.execute(sql`delete from threads t where t.org_id = ${orgId} and t.id in (${sql.join(threadIds.map((id) => sql`${id}::uuid`), sql`, `)})
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
    const rows = await tx
      .select({ id: messages.id, dedupeKey: messages.dedupeKey })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), inArray(messages.dedupeKey, keys.slice(i, i + 5000))));
    for (const row of rows) found.set(row.dedupeKey, row.id);
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
