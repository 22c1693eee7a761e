import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { parseJson } from "./list-conversations";
import { getViewableMessage } from "./get-viewable-message";
import { canSeeBody, canSeeSubject } from "./visibility";

export type MessageHeaders = {
  fields: { name: string; value: string }[];
  folders: { path: string; flags: string[]; labels: string[] }[];
};

const ROLE_HEADER: Record<string, string> = { from: "From", to: "To", cc: "Cc", bcc: "Bcc", reply_to: "Reply-To" };

/**
 * The header fields Threadline keeps for a message (From/To/Cc/Bcc/Reply-To, Date, Subject,
 * Message-ID, In-Reply-To, References) plus where it sits on the server (folders, flags, labels),
 * cut to the viewer's access: metadata readers get addresses and dates only. Null: not visible.
 */
export async function getMessageHeaders(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, messageId: string): Promise<MessageHeaders | null> {
  const message = await getViewableMessage(db, ctx, messageId, "metadata");
  if (!message) return null;
  const full = canSeeBody(message.access);
  const [row] = await queryRows<Row>(
    db,
    sql`
    select m.subject, m.sent_at, m.received_at, m.message_id_header, m.in_reply_to, m.references, m.size, m.is_bulk, m.parse_error,
      a.email_address as account,
      (select json_agg(json_build_object('role', mp.role, 'email', mp.email, 'name', mp.name))
        from message_participants mp where mp.message_id = m.id and mp.org_id = ${ctx.orgId}) as participants,
      (select json_agg(json_build_object('path', b.path, 'flags', l.flags, 'labels', l.labels) order by b.path)
        from message_locations l join mailboxes b on b.id = l.mailbox_id
        where l.message_id = m.id and l.org_id = ${ctx.orgId}) as folders
    from messages m join mail_accounts a on a.id = m.account_id
    where m.id = ${message.id} and m.org_id = ${ctx.orgId}`,
  );
  if (!row) return null;
  const participants = parseJson<{ role: string; email: string; name: string | null }[]>(row.participants) ?? [];
  const fields: { name: string; value: string }[] = [];
  for (const role of ["from", "reply_to", "to", "cc", "bcc"]) {
    if (role === "bcc" && !full) continue;
    const list = participants.filter((p) => p.role === role).map((p) => (p.name ? `${p.name} <${p.email}>` : p.email));
    if (list.length) fields.push({ name: ROLE_HEADER[role]!, value: list.join(", ") });
  }
  const sent = pgTimestamp(row.sent_at);
  const received = pgTimestamp(row.received_at);
  if (sent) fields.push({ name: "Date", value: sent.toUTCString() });
  if (received) fields.push({ name: "Received", value: received.toUTCString() });
  if (canSeeSubject(message.access) && row.subject) fields.push({ name: "Subject", value: row.subject });
  if (full) {
    if (row.message_id_header) fields.push({ name: "Message-ID", value: `<${row.message_id_header}>` });
    if (row.in_reply_to) fields.push({ name: "In-Reply-To", value: `<${row.in_reply_to}>` });
    const refs = parseArray(row.references);
    if (refs.length) fields.push({ name: "References", value: refs.map((r) => `<${r}>`).join(" ") });
    fields.push({ name: "Size", value: `${Number(row.size).toLocaleString("en-US")} bytes` });
    if (pgBoolean(row.is_bulk)) fields.push({ name: "Bulk", value: "yes (list, newsletter or automated sender)" });
    if (row.parse_error) fields.push({ name: "Parse error", value: row.parse_error });
  }
  fields.push({ name: "Account", value: row.account });
  const folders = (parseJson<{ path: string; flags: string[] | null; labels: string[] | null }[]>(row.folders) ?? []).map((f) => ({
    path: f.path,
    flags: full ? (f.flags ?? []) : [],
    labels: full ? (f.labels ?? []) : [],
  }));
  return { fields, folders };
}

// Postgres text[] arrives as an array (postgres.js, PGlite) or, from some paths, as '{a,b}' text.
function parseArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== "string" || value.length < 2) return [];
  return value
    .slice(1, -1)
    .split(",")
    .map((s) => s.replace(/^"|"$/g, ""))
    .filter(Boolean);
}

type Row = {
  subject: string | null;
  sent_at: string | Date | null;
  received_at: string | Date | null;
  message_id_header: string | null;
  in_reply_to: string | null;
  references: unknown;
  size: number;
  is_bulk: boolean;
  parse_error: string | null;
  account: string;
  participants: unknown;
  folders: unknown;
};
