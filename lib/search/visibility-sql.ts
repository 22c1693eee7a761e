import { type SQL, sql } from "drizzle-orm";

/**
 * Who is searching. A member sees their own mailboxes fully and everyone else's as far as each
 * mailbox's `visibility` allows; the operator (CLI, maintenance) sees everything.
 */
export type SearchViewer = { userId: string } | { operator: true };

/**
 * What a viewer may see of one message, per its account's `visibility`, for members other than the
 * account's owner:
 *   shared   → everything: subject, body, attachments, participants, dates, folders, flags
 *   subject  → subject + metadata, no body and no attachments
 *   metadata → participants, dates, mailbox, folders and flags only (no subject)
 *   private  → nothing: the message does not exist for them
 * Evaluated over `a` (the message's mail_accounts row) as 'shared' | 'subject' | 'metadata' | 'private'.
 */
export function visibilityLevelSql(viewer: SearchViewer): SQL {
  if (!("userId" in viewer)) return sql`'shared'`;
  return sql`(case when a.user_id = ${viewer.userId} then 'shared' else a.visibility::text end)`;
}

/**
 * The part of `messages.search` a viewer may match: the weights are subject A, participants B, body C
 * (db/schema.ts), so `ts_filter` keeps exactly the visible parts.
 */
export function visibleSearchDocumentSql(viewer: SearchViewer): SQL {
  if (!("userId" in viewer)) return sql`m.search`;
  const level = visibilityLevelSql(viewer);
  return sql`(case ${level} when 'shared' then m.search when 'subject' then ts_filter(m.search, '{a,b}') when 'metadata' then ts_filter(m.search, '{b}') end)`;
}
