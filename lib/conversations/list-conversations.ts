import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { type Access, ACCESS_RANK, accessFromRank, accessRankOfAccountAlias, visibleAccountIdsSql } from "./visibility";

export type ConversationScope =
  | { kind: "recent" }
  | { kind: "contact"; contactId: string }
  | { kind: "domain"; domain: string };

export type ConversationParticipant = { email: string; name: string | null; own: boolean };

export type ConversationSummary = {
  threadId: string;
  // Null when the viewer may not see it (or the mail has none): see `access`.
  subject: string | null;
  snippet: string | null;
  access: Access;
  messageCount: number;
  firstAt: Date | null;
  lastAt: Date | null;
  hasAttachments: boolean;
  participants: ConversationParticipant[];
  accounts: { id: string; emailAddress: string }[];
};

export type ConversationPage = { items: ConversationSummary[]; total: number; hasMore: boolean };

type Ctx = Pick<OrgContext, "orgId" | "user">;

// The home page looks for its recent threads among this many newest visible messages.
const RECENT_WINDOW = 1000;

/**
 * Conversations (threads) in a scope, newest first (see candidateThreads), as the viewer may see them: every
 * figure — count, dates, participants, subject, snippet — comes from the messages the viewer can
 * see (lib/conversations/visibility.ts), never from the thread row, which sums up every account.
 */
export async function listConversations(
  db: Database,
  ctx: Ctx,
  input: {
    scope: ConversationScope;
    limit?: number;
    offset?: number;
    /**
     * The scope's number of threads when the caller has it or counts it itself (a contact's timeline
     * counts them beside this page): spares a count over all their mail.
     */
    total?: number;
  },
): Promise<ConversationPage> {
  const limit = Math.max(1, Math.min(Math.trunc(input.limit ?? 30), 200));
  const offset = Math.max(0, Math.trunc(input.offset ?? 0));
  const viewer = { userId: ctx.user.id };
  const rank = accessRankOfAccountAlias(viewer, "a");
  const visibleAccounts = visibleAccountIdsSql(viewer, ctx.orgId);
  let candidates: SQL;
  let total = sql`count(*) over ()::int`;
  if (input.scope.kind === "contact") {
    const { scope } = input;
    const [threads, count] = await Promise.all([
      newestContactThreads(db, ctx.orgId, scope.contactId, visibleAccounts, limit + offset + 1),
      input.total ?? countContactThreads(db, ctx, scope.contactId),
    ]);
    if (threads.length <= offset) return { items: [], total: count, hasMore: false };
    candidates = sql`select * from (values ${sql.join(
      threads.map((t) => sql`(${t.threadId}::uuid, ${t.sortAt}::timestamptz)`),
      sql`, `,
    )}) as c(thread_id, sort_at)`;
    total = sql`${count}::int`;
  } else {
    candidates = candidateThreads(ctx.orgId, input.scope, visibleAccounts, limit + offset + 1);
  }

  const rows = await queryRows<Row>(
    db,
    sql`
    with cand as (${candidates}),
    page as (
      select thread_id, sort_at, ${total} as total from cand
      order by sort_at desc nulls last, thread_id desc
      limit ${limit + 1} offset ${offset}
    ),
    -- The page's threads only: a busy contact has 20,000 threads, and reading each one's messages to
    -- order them took a second. Subject and snippet come with these rows.
    pv as (
      select m.id, m.thread_id, m.account_id, m.has_attachments, coalesce(m.sent_at, m.received_at) as at, ${rank} as rank, m.subject, m.snippet
      from messages m join mail_accounts a on a.id = m.account_id and a.org_id = ${ctx.orgId}
      where m.org_id = ${ctx.orgId} and m.thread_id in (select thread_id from page) and ${rank} >= ${ACCESS_RANK.metadata}
    ),
    agg as (
      select thread_id, count(*)::int as n, min(at) as first_at, max(at) as last_at, max(rank)::int as top_rank,
        bool_or(has_attachments and rank = ${ACCESS_RANK.full}) as has_att
      from pv group by thread_id
    )
    select p.thread_id, g.n, g.first_at, g.last_at, g.top_rank, g.has_att, p.total,
      (select v.subject from pv v where v.thread_id = p.thread_id and v.rank >= ${ACCESS_RANK.subject} and v.subject is not null
        order by v.at asc nulls last limit 1) as subject,
      (select v.snippet from pv v where v.thread_id = p.thread_id and v.rank = ${ACCESS_RANK.full}
        order by v.at desc nulls last limit 1) as snippet,
      (select json_agg(json_build_object('email', x.email, 'name', x.name, 'own', x.own) order by x.first_at nulls last, x.email)
        from (
          select mp.email, max(mp.name) as name, min(v.at) as first_at,
            exists (select 1 from mail_accounts oa where oa.org_id = ${ctx.orgId} and lower(oa.email_address) = mp.email) as own
          from pv v join message_participants mp on mp.message_id = v.id
          where v.thread_id = p.thread_id and mp.role <> 'bcc'
          group by mp.email
        ) x) as participants,
      (select json_agg(distinct v.account_id) from pv v where v.thread_id = p.thread_id) as account_ids
    from page p join agg g on g.thread_id = p.thread_id
    order by p.sort_at desc nulls last, p.thread_id desc`,
  );

  const accounts = await accountAddresses(db, ctx.orgId);
  const items = rows.slice(0, limit).map((row): ConversationSummary => {
    const access = accessFromRank(Number(row.top_rank));
    return {
      threadId: row.thread_id,
      subject: row.subject,
      snippet: row.snippet,
      access,
      messageCount: Number(row.n),
      firstAt: pgTimestamp(row.first_at),
      lastAt: pgTimestamp(row.last_at),
      hasAttachments: pgBoolean(row.has_att),
      participants: parseJson<{ email: string; name: string | null; own: boolean }[]>(row.participants) ?? [],
      accounts: (parseJson<string[]>(row.account_ids) ?? []).map((id) => ({ id, emailAddress: accounts.get(id) ?? "" })),
    };
  });
  return { items, total: rows.length ? Number(rows[0]!.total) : 0, hasMore: rows.length > limit };
}

/**
 * The scope's threads with the time that orders them (`sort_at`). Recent: each thread's newest visible
 * message. Contact and company: the newest visible message with that contact (or anyone at that
 * domain), which is when the team last spoke with them; later messages without them don't move the
 * thread up. Those scopes read only message_participants (its copies of thread, account and date).
 */
function candidateThreads(orgId: string, scope: Exclude<ConversationScope, { kind: "contact" }>, visibleAccounts: SQL, wanted: number): SQL {
  switch (scope.kind) {
    case "recent":
      // Walks messages_org_sent_idx from the newest message: a thread's newest visible message decides
      // its place, so the first threads met are the page's (within the window). The visible accounts
      // as one array, tested as a value (`is true`) rather than offered to an index: joined to
      // mail_accounts, or matched through the account index, Postgres read all of the visible
      // accounts' messages and sorted them (1 s at 190,000 messages, 100 ms at 64,000; walked, 3 ms).
      return sql`
        select r.thread_id, max(r.sent_at) as sort_at from (
          select m.thread_id, m.sent_at from messages m
          where m.org_id = ${orgId} and m.thread_id is not null and m.sent_at is not null and (m.account_id = any(${visibleAccounts})) is true
          order by m.sent_at desc limit ${RECENT_WINDOW}
        ) r
        group by r.thread_id order by max(r.sent_at) desc limit ${wanted}`;
    case "domain":
      // The visible accounts tested the same way: the contacts' rows are read from their index alone,
      // without a join to mail_accounts (the largest benchmark domain, 89,000 rows: 250 → 130 ms).
      return sql`
        select mp.thread_id, max(mp.message_at) as sort_at
        from contacts c
        join message_participants mp on mp.contact_id = c.id and mp.org_id = ${orgId}
        where c.org_id = ${orgId} and c.domain = ${scope.domain} and mp.thread_id is not null and (mp.account_id = any(${visibleAccounts})) is true
        group by mp.thread_id`;
  }
}

/**
 * A contact's `wanted` threads with the newest messages with them, walking their rows in
 * message_participants newest first: a thread's first row met is its newest, so the first `wanted`
 * threads met are the page's. The walk widens until it meets that many threads or runs out of rows;
 * threads whose messages with the contact are all undated come last.
 */
async function newestContactThreads(db: Database, orgId: string, contactId: string, visibleAccounts: SQL, wanted: number) {
  const theirs = sql`message_participants mp
    where mp.contact_id = ${contactId} and mp.org_id = ${orgId} and mp.thread_id is not null and mp.account_id = any(${visibleAccounts})`;
  for (let window = wanted * 4; ; window *= 8) {
    const found = await queryRows<{ thread_id: string; sort_at: string | Date; walked: number | string }>(
      db,
      sql`with walk as (select mp.thread_id, mp.message_at from ${theirs} and mp.message_at is not null order by mp.message_at desc limit ${window})
        select thread_id, max(message_at) as sort_at, (select count(*) from walk) as walked from walk
        group by thread_id order by sort_at desc, thread_id desc limit ${wanted}`,
    );
    const threads = found.map((r) => ({ threadId: r.thread_id, sortAt: pgTimestamp(r.sort_at)?.toISOString() ?? null }));
    if (threads.length >= wanted) return threads;
    if (found.length > 0 && Number(found[0]!.walked) >= window) continue;
    const seen = new Set(threads.map((t) => t.threadId));
    const undated = await queryRows<{ thread_id: string }>(
      db,
      sql`select mp.thread_id from ${theirs} and mp.message_at is null group by mp.thread_id order by mp.thread_id desc limit ${wanted + seen.size}`,
    );
    for (const { thread_id } of undated) if (!seen.has(thread_id) && threads.length < wanted) threads.push({ threadId: thread_id, sortAt: null });
    return threads;
  }
}

/** How many threads of the accounts the viewer may see the contact is in (the number their timeline pages through). */
export async function countContactThreads(db: Database, ctx: Ctx, contactId: string): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(distinct mp.thread_id)::int as n from message_participants mp
      where mp.contact_id = ${contactId} and mp.org_id = ${ctx.orgId} and mp.account_id = any(${visibleAccountIdsSql({ userId: ctx.user.id }, ctx.orgId)})`,
  );
  return Number(row?.n ?? 0);
}

async function accountAddresses(db: Database, orgId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; email_address: string }>(db, sql`select id, email_address from mail_accounts where org_id = ${orgId}`);
  return new Map(rows.map((r) => [r.id, r.email_address]));
}

export function parseJson<T>(value: unknown): T | null {
  if (value == null) return null;
  if (typeof value === "string") return JSON.parse(value) as T;
  return value as T;
}

type Row = {
  thread_id: string;
  n: number | string;
  first_at: string | Date | null;
  last_at: string | Date | null;
  top_rank: number | string;
  has_att: boolean | null;
  total: number | string;
  subject: string | null;
  snippet: string | null;
  participants: unknown;
  account_ids: unknown;
};
