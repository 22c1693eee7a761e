import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import { estimateBodyHeight } from "@/lib/render/estimate-body-height";
import { sanitizeMailHtml } from "@/lib/render/sanitize-mail-html";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { parseJson } from "./list-conversations";
import { type Access, ACCESS_RANK, accessFromRank, accessRankOfAccountAlias, canSeeBody, canSeeSubject } from "./visibility";

export type ConversationAddress = { email: string; name: string | null };

export type ConversationAttachment = {
  id: string;
  filename: string | null;
  contentType: string;
  size: number;
  inline: boolean;
  contentId: string | null;
  // The content is in the database (small parts); bigger ones are not stored yet.
  stored: boolean;
};

export type ConversationMessage = {
  id: string;
  access: Access;
  account: { id: string; emailAddress: string; mine: boolean };
  from: ConversationAddress | null;
  to: ConversationAddress[];
  cc: ConversationAddress[];
  bcc: ConversationAddress[];
  at: Date | null;
  isBulk: boolean;
  // Null unless the viewer may see it (access).
  subject: string | null;
  snippet: string | null;
  textBody: string | null;
  html: { remoteImages: number; estimatedHeight: number } | null;
  attachments: ConversationAttachment[];
  parseError: string | null;
  raw: { stored: boolean; truncated: boolean };
  // The reader has allowed remote images from this sender.
  senderImagesAllowed: boolean;
};

export type Conversation = {
  id: string;
  subject: string | null;
  access: Access;
  messageCount: number;
  participants: ConversationAddress[];
  messages: ConversationMessage[];
};

/**
 * One thread as the viewer may see it: its messages oldest first, each cut down to what the viewer's
 * access to its account allows (visibility.ts). A message held by several linked accounts appears
 * once, from the copy the viewer sees best. Null when the thread is not in the organisation or the
 * viewer may see none of it (the page then answers 404, revealing nothing).
 */
export async function getConversation(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, threadId: string): Promise<Conversation | null> {
  if (!isUuid(threadId)) return null;
  const rank = accessRankOfAccountAlias({ userId: ctx.user.id }, "a");
  const rows = await queryRows<Row>(
    db,
    sql`
    select m.id, m.account_id, a.email_address as account_email, a.user_id as account_user, ${rank} as rank,
      m.message_id_header, m.subject, m.from_address, m.from_name, coalesce(m.sent_at, m.received_at) as at,
      m.is_bulk, m.parse_error,
      case when ${rank} = ${ACCESS_RANK.full} then m.snippet end as snippet,
      case when ${rank} = ${ACCESS_RANK.full} then m.text_body end as text_body,
      case when ${rank} = ${ACCESS_RANK.full} then m.html_body end as html_body,
      (select json_agg(json_build_object('role', mp.role, 'email', mp.email, 'name', mp.name))
        from message_participants mp where mp.message_id = m.id and mp.org_id = ${ctx.orgId}) as participants,
      (select json_agg(json_build_object('id', x.id, 'filename', x.filename, 'contentType', x.content_type, 'size', x.size,
          'inline', x.inline, 'contentId', x.content_id, 'stored', x.content is not null) order by x.inline, x.filename)
        from attachments x where x.message_id = m.id and x.org_id = ${ctx.orgId}) as attachments,
      (select json_build_object('truncated', r.truncated) from message_raw r where r.message_id = m.id and r.org_id = ${ctx.orgId}) as raw,
      exists (select 1 from remote_image_senders s where s.org_id = ${ctx.orgId} and s.user_id = ${ctx.user.id} and s.sender = m.from_address) as sender_allowed
    from messages m
    join threads t on t.id = m.thread_id and t.org_id = ${ctx.orgId}
    join mail_accounts a on a.id = m.account_id and a.org_id = ${ctx.orgId}
    where m.org_id = ${ctx.orgId} and m.thread_id = ${threadId} and ${rank} >= ${ACCESS_RANK.metadata}
    order by coalesce(m.sent_at, m.received_at) asc nulls last, m.created_at asc, m.id`,
  );
  if (!rows.length) return null;

  const messages = dedupe(rows).map((row) => toMessage(row, ctx.user.id));
  const best = messages.reduce((max, m) => Math.max(max, ACCESS_RANK[m.access]), 0);
  const participants = new Map<string, ConversationAddress>();
  for (const m of messages) for (const p of [m.from, ...m.to, ...m.cc]) if (p && !participants.has(p.email)) participants.set(p.email, p);
  return {
    id: threadId,
    subject: messages.find((m) => m.subject)?.subject ?? null,
    access: accessFromRank(best),
    messageCount: messages.length,
    participants: [...participants.values()],
    messages,
  };
}

// Copies of one message (same Message-ID) in several accounts: keep the best-visible one.
function dedupe(rows: Row[]): Row[] {
  const byKey = new Map<string, Row>();
  const order: string[] = [];
  for (const row of rows) {
    const key = row.message_id_header ? `mid:${row.message_id_header}` : `id:${row.id}`;
    const seen = byKey.get(key);
    if (!seen) order.push(key);
    if (!seen || Number(row.rank) > Number(seen.rank)) byKey.set(key, row);
  }
  return order.map((key) => byKey.get(key)!);
}

function toMessage(row: Row, viewerId: string): ConversationMessage {
  const access = accessFromRank(Number(row.rank));
  const full = canSeeBody(access);
  const participants = parseJson<{ role: string; email: string; name: string | null }[]>(row.participants) ?? [];
  const byRole = (role: string) => participants.filter((p) => p.role === role).map(({ email, name }) => ({ email, name }));
  const rendered = full && row.html_body ? sanitizeMailHtml(row.html_body, { allowRemoteImages: false, resolveCid: () => null }) : null;
  const raw = parseJson<{ truncated: boolean }>(row.raw);
  return {
    id: row.id,
    access,
    account: { id: row.account_id, emailAddress: row.account_email, mine: row.account_user === viewerId },
    from: row.from_address ? { email: row.from_address, name: row.from_name } : (byRole("from")[0] ?? null),
    to: byRole("to"),
    cc: byRole("cc"),
    bcc: full ? byRole("bcc") : [],
    at: pgTimestamp(row.at),
    isBulk: pgBoolean(row.is_bulk),
    subject: canSeeSubject(access) ? row.subject : null,
    snippet: full ? row.snippet : null,
    textBody: full ? row.text_body : null,
    html: rendered ? { remoteImages: rendered.remoteImages, estimatedHeight: estimateBodyHeight(rendered.html) } : null,
    attachments: full ? (parseJson<ConversationAttachment[]>(row.attachments) ?? []) : [],
    parseError: full ? row.parse_error : row.parse_error ? "This message could not be read completely." : null,
    raw: { stored: full && raw !== null, truncated: Boolean(raw?.truncated) },
    senderImagesAllowed: pgBoolean(row.sender_allowed),
  };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

type Row = {
  id: string;
  account_id: string;
  account_email: string;
  account_user: string | null;
  rank: number | string;
  message_id_header: string | null;
  subject: string | null;
  snippet: string | null;
  from_address: string | null;
  from_name: string | null;
  at: string | Date | null;
  is_bulk: boolean;
  parse_error: string | null;
  text_body: string | null;
  html_body: string | null;
  participants: unknown;
  attachments: unknown;
  raw: unknown;
  sender_allowed: boolean;
};
