import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/**
 * Who may see what of a linked mailbox's mail — the one rule, used by the home page, contacts,
 * timelines, the conversation view, the message routes and search.
 *
 * The account's owner (mail_accounts.user_id) always sees everything. Every other member sees what
 * the account's `visibility` grants:
 *   private  → nothing (not even that a conversation happened)
 *   metadata → that a conversation happened: participants, dates, counts, the account
 *   subject  → metadata plus subjects
 *   shared   → everything: snippets, bodies, attachments, raw source
 * Admins and owners of the organisation are "other members" here: a private mailbox stays private.
 */

export type Visibility = "private" | "metadata" | "subject" | "shared";
export type Access = "none" | "metadata" | "subject" | "full";

export type Viewer = { userId: string };
export type AccountVisibility = { userId: string | null; visibility: Visibility };

/** Access as a number, so "at least" is a comparison (in TypeScript and in SQL alike). */
export const ACCESS_RANK: Record<Access, number> = { none: 0, metadata: 1, subject: 2, full: 3 };

const FOR_OTHERS: Record<Visibility, Access> = { private: "none", metadata: "metadata", subject: "subject", shared: "full" };

/** What `viewer` may see of the messages of one account. */
export function accountAccess(viewer: Viewer, account: AccountVisibility): Access {
  if (account.userId !== null && account.userId === viewer.userId) return "full";
  return FOR_OTHERS[account.visibility] ?? "none";
}

export function accessFromRank(rank: number): Access {
  return (["none", "metadata", "subject", "full"] as const)[Math.max(0, Math.min(3, Math.trunc(rank)))]!;
}

export const canSeeConversation = (access: Access) => ACCESS_RANK[access] >= ACCESS_RANK.metadata;
export const canSeeSubject = (access: Access) => ACCESS_RANK[access] >= ACCESS_RANK.subject;
export const canSeeBody = (access: Access) => access === "full";

/**
 * The same rule in SQL: an integer expression (ACCESS_RANK) over a mail_accounts row, given its
 * user_id and visibility columns (e.g. `sql.raw("a.user_id")`, or drizzle columns).
 */
export function accountAccessRankSql(viewer: Viewer, account: { userId: SQLWrapper; visibility: SQLWrapper }): SQL {
  const others = (Object.entries(FOR_OTHERS) as [Visibility, Access][]).map(
    ([visibility, access]) => sql`when ${account.visibility} = ${sql.raw(`'${visibility}'`)} then ${sql.raw(String(ACCESS_RANK[access]))}`,
  );
  return sql`(case when ${account.userId} = ${viewer.userId} then ${sql.raw(String(ACCESS_RANK.full))} ${sql.join(others, sql` `)} else 0 end)`;
}

/**
 * The same rule as a visibility word for the viewer over a mail_accounts row under `alias`:
 * 'shared' for the owner, else the account's own visibility ('private' | 'metadata' | 'subject' |
 * 'shared'), for queries that compare levels by name (search).
 */
export function effectiveVisibilitySql(viewer: Viewer, alias = "a"): SQL {
  assertAlias(alias);
  return sql`(case when ${sql.raw(`${alias}.user_id`)} = ${viewer.userId} then 'shared' else ${sql.raw(`${alias}.visibility`)}::text end)`;
}

/** accountAccessRankSql for a mail_accounts row under an SQL alias ("a" → a.user_id, a.visibility). */
export function accessRankOfAccountAlias(viewer: Viewer, alias: string): SQL {
  assertAlias(alias);
  return accountAccessRankSql(viewer, { userId: sql.raw(`${alias}.user_id`), visibility: sql.raw(`${alias}.visibility`) });
}

/**
 * The ids of the organisation's mailboxes the viewer may see conversations of, as an array to check
 * rows against (`account_id = any(...)`): rows read from an index keep its order, where a join to
 * mail_accounts made Postgres hash the accounts and sort all of a busy contact's 25,000 rows.
 */
export function visibleAccountIdsSql(viewer: Viewer, orgId: string): SQL {
  return sql`array(select va.id from mail_accounts va where va.org_id = ${orgId} and ${accessRankOfAccountAlias(viewer, "va")} >= ${ACCESS_RANK.metadata})`;
}

/**
 * The viewer's access rank to a message under an SQL alias (default `m`, a messages row), as a
 * scalar subquery: drop it into any WHERE or SELECT, e.g. for search:
 * `where: [sql`${messageAccessRankSql(viewer)} >= ${ACCESS_RANK.metadata}`]`.
 */
export function messageAccessRankSql(viewer: Viewer, messageAlias = "m"): SQL {
  assertAlias(messageAlias);
  return sql`(select ${accessRankOfAccountAlias(viewer, "va")} from mail_accounts va where va.id = ${sql.raw(`${messageAlias}.account_id`)})`;
}

/** What a list or a search result may show of one message, given the viewer's access to it. */
export function redactMessageSummary<T extends { subject: string | null; snippet?: string | null }>(access: Access, message: T): T {
  return {
    ...message,
    subject: canSeeSubject(access) ? message.subject : null,
    ...("snippet" in message ? { snippet: canSeeBody(access) ? message.snippet : null } : {}),
  };
}

function assertAlias(alias: string) {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`Not an SQL alias: ${alias}`);
}
