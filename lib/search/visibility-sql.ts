import { type SQL, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { accountAccess, type Visibility } from "@/lib/conversations/visibility";
import { uuidArrayLiteral } from "./uuid-literals";

/**
 * Who is searching. A member sees their own mailboxes fully and everyone else's as far as each
 * mailbox's `visibility` allows; the operator (CLI, maintenance) sees everything.
 */
export type SearchViewer = { userId: string } | { operator: true };

/**
 * What a viewer may see of each message, by its account: the organisation's one visibility rule
 * (lib/conversations/visibility.ts) as 'shared' | 'subject' | 'metadata' | 'private'. For search:
 *   shared   → everything matches: subject, body, attachments, participants, dates, folders, flags
 *   subject  → subject and metadata match; body and attachments neither match nor show
 *   metadata → participants, dates, mailbox, folders and flags only
 *   private  → the message does not exist for the viewer
 * `level` is an expression over `m.account_id` with the organisation's accounts written in, read
 * once per search: joined to mail_accounts instead, the planner would drive the search account by
 * account and rerun the text index lookup for each (18 accounts × 50 ms).
 */
export type SearchLevels = { level: SQL; everythingShared: boolean };

export async function loadSearchLevels(db: Database | Transaction, orgId: string, viewer: SearchViewer): Promise<SearchLevels> {
  if (!("userId" in viewer)) return { level: sql`'shared'`, everythingShared: true };
  const accounts = await queryRows<{ id: string; user_id: string | null; visibility: Visibility }>(
    db,
    sql`select id, user_id, visibility from mail_accounts where org_id = ${orgId} order by id`,
  );
  if (accounts.length === 0) return { level: sql`'private'`, everythingShared: false };
  const levelOf = (a: (typeof accounts)[number]) => {
    const access = accountAccess(viewer, { userId: a.user_id, visibility: a.visibility });
    return access === "full" ? "shared" : access === "none" ? "private" : access;
  };
  // An account linked after this read is 'private' to this search. Written as literals, not bound
  // parameters: the expression appears four times in a search, and binding its 160 parameters cost
  // 3 ms a search. One array per level rather than a branch per account: with 20 accounts the branches
  // took the statement's parsing and planning from 2 to 4 ms. Ids come from the database (and are
  // checked as UUIDs), levels from a fixed set.
  const cases = (["shared", "subject", "metadata"] as const).flatMap((level) => {
    const ids = accounts.filter((a) => levelOf(a) === level).map((a) => a.id);
    return ids.length ? [sql`when m.account_id = any(${uuidArrayLiteral(ids)}) then ${sql.raw(`'${level}'`)}`] : [];
  });
  if (cases.length === 0) return { level: sql`'private'`, everythingShared: false };
  return { level: sql`(case ${sql.join(cases, sql` `)} else 'private' end)`, everythingShared: false };
}

/**
 * The part of `messages.search` a viewer may match: the weights are subject A, participants B, body C
 * (db/schema.ts), so `ts_filter` keeps exactly the visible parts.
 */
export function visibleSearchDocumentSql(levels: SearchLevels): SQL {
  if (levels.everythingShared) return sql`m.search`;
  return sql`(case ${levels.level} when 'shared' then m.search when 'subject' then ts_filter(m.search, '{a,b}') when 'metadata' then ts_filter(m.search, '{b}') end)`;
}
