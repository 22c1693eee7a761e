import { type SQL, sql } from "drizzle-orm";
import { effectiveVisibilitySql } from "@/lib/conversations/visibility";

/**
 * Who is searching. A member sees their own mailboxes fully and everyone else's as far as each
 * mailbox's `visibility` allows; the operator (CLI, maintenance) sees everything.
 */
export type SearchViewer = { userId: string } | { operator: true };

/**
 * What a viewer may see of one message: the organisation's one visibility rule
 * (lib/conversations/visibility.ts) over `a`, the message's mail_accounts row, as
 * 'shared' | 'subject' | 'metadata' | 'private'. For search that means:
 *   shared   → everything matches: subject, body, attachments, participants, dates, folders, flags
 *   subject  → subject and metadata match; body and attachments neither match nor show
 *   metadata → participants, dates, mailbox, folders and flags only
 *   private  → the message does not exist for the viewer
 */
export function visibilityLevelSql(viewer: SearchViewer): SQL {
  if (!("userId" in viewer)) return sql`'shared'`;
  return effectiveVisibilitySql({ userId: viewer.userId }, "a");
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
