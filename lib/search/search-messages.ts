import { type SQL, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import { invalid } from "@/lib/tenancy/errors";
import { buildSearchSql, type SearchSql } from "./build-search-sql";
import { chooseSearchPlan, keepToSearchPath, newestMessagesSql, type SearchPath, type SearchPlan } from "./choose-search-path";
import { loadSearchFolders } from "./folder-sql";
import { dropStopWords } from "./drop-stop-words";
import { parseSearchQuery, type SearchQuery } from "./parse-search-query";
import { excerptSegments, type HighlightSegment, highlightsSql, markSubject, matchedWords } from "./search-highlights";
import { loadSearchLevels, type SearchViewer, visibleSearchDocumentSql } from "./visibility-sql";

export type SearchSort = "relevance" | "newest";
export type SearchGroup = "messages" | "threads";

export type SearchMessagesInput = {
  orgId: string;
  /** Gmail-style text (parse-search-query.ts) or an already parsed query. */
  query: string | SearchQuery;
  /**
   * Who searches: a member gets the visibility rules of other members' mailboxes. Omitted = the
   * operator (CLI, maintenance jobs), who sees everything; app code goes through searchOrgMail.
   */
  viewer?: SearchViewer;
  sort?: SearchSort;
  /** threads: one row per conversation (its best matching message) with the number of matches. */
  group?: SearchGroup;
  limit?: number;
  offset?: number;
  /** How many of the newest matches are read (MATCH_WINDOW); smaller in tests. */
  matchWindow?: number;
  /** Forces how matches are found (tests and benchmarks compare the two); measured per query otherwise. */
  path?: SearchPath;
  /** With path walk: stop after this many of the newest messages (tests of the limited walk). */
  walkLimit?: number;
};

export type SearchResult = {
  id: string;
  threadId: string | null;
  accountId: string;
  accountAddress: string;
  /** null when the viewer may not see the subject (metadata-only mailbox). */
  subject: string | null;
  fromAddress: string | null;
  fromName: string | null;
  sentAt: Date | null;
  hasAttachments: boolean;
  rank: number;
  /** What the viewer may see of this message: full, subject (no body) or metadata only. */
  access: "full" | "subject" | "metadata";
  subjectHighlight: HighlightSegment[];
  /** Body excerpt around the matches (or the start of the body); empty unless access is full. */
  highlight: HighlightSegment[];
  /** Matching messages in the conversation (threads grouping; 1 otherwise). */
  matches: number;
};

export type SearchMessagesOutput = {
  /**
   * Matches (or conversations, threads grouping) among the newest MATCH_WINDOW matching messages (fewer
   * when the matches are too sparse to find that many cheaply); when more messages match,
   * `totalCapped` is true and the UI shows "200+".
   */
  total: number;
  totalCapped: boolean;
  results: SearchResult[];
  /** The sort applied: relevance needs free text, so operator-only searches are newest first. */
  sort: SearchSort;
  /** How the query was understood and anything dropped from it. */
  warnings: string[];
};

// Matches ranked by relevance (newest first); past this the rest follow by date (see searchMessages).
export const RANKED_MATCHES = 200;
// Only the newest this many matches are read at all (counted, grouped, ranked, paged): a common word in
// a large organisation otherwise reads all of its 60k matches for an exact total (1-2 s). Deeper pages
// widen the window to reach their rows; sparse matches narrow it (choose-search-path.ts, planSearch).
export const MATCH_WINDOW = RANKED_MATCHES;
const SEARCH_WORK_MEM = "64MB";

/**
 * Searches the organisation's messages: Gmail-style operators plus full text over the weighted
 * `search` column (subject A, participants B, body C; each word matched stemmed or verbatim), through
 * the GIN index. Ranked by ts_rank_cd over what the viewer may see (the newest RANKED_MATCHES matches;
 * older ones follow by date) or newest first, offset-paginated,
 * highlights over the page's rows only (search-highlights.ts), returned as segments.
 */
export async function searchMessages(db: Database | Transaction, input: SearchMessagesInput): Promise<SearchMessagesOutput> {
  const limit = Math.max(1, Math.min(Math.trunc(input.limit ?? 20), 200));
  const offset = Math.max(0, Math.trunc(input.offset ?? 0));
  const viewer: SearchViewer = input.viewer ?? { operator: true };
  const parsed = typeof input.query === "string" ? parseOrThrow(input.query) : { query: input.query, warnings: [] };
  // Together: on one connection these reads are pipelined, one round trip instead of several.
  const hasFolders = parsed.query.clauses.some((clause) => clause.some((node) => node.type === "in"));
  const [{ query, literalSubjects, highlightTerms, warnings }, levels, folders] = await Promise.all([
    dropStopWords(db, parsed.query),
    loadSearchLevels(db, input.orgId, viewer),
    hasFolders ? loadSearchFolders(db, input.orgId) : undefined,
  ]);
  warnings.unshift(...parsed.warnings);
  const requested = input.sort ?? "relevance";
  if (query.clauses.length === 0) return { total: 0, totalCapped: false, results: [], sort: requested, warnings };
  // A conversation holds a message or two on average: the messages that usually fill this page of
  // conversations. A later page starts from a window that reaches it in one read.
  const pageMessages = (offset + limit) * (input.group === "threads" ? 2 : 1);
  const firstWindow = Math.max(Math.trunc(input.matchWindow ?? MATCH_WINDOW), offset > 0 ? pageMessages : offset + limit);

  const built = buildSearchSql(query, { orgId: input.orgId, viewer, levels, literalSubjects, folders });
  const highlights = highlightsSql(built.rankQuery, highlightTerms);
  const sort: SearchSort = built.rankQuery ? requested : "newest";
  const order = sort === "relevance" ? sql`rank desc, sent_at desc nulls last, id desc` : sql`sent_at desc nulls last, id desc`;
  // Ranking reads each message's whole vector: only the newest RANKED_MATCHES matches are ranked, the
  // older ones follow them newest first (rank 0). Below that many matches nothing changes.
  const rank = built.rankQuery
    ? sql`case when b.sent_at >= (select sent_at from cutoff) or not exists (select 1 from cutoff)
        then (select ts_rank_cd(${visibleSearchDocumentSql(levels)}, ${built.rankQuery}) from messages m where m.id = b.id)
        else 0 end`
    : sql`0::real`;

  // The newest matches, dated then undated (nulls last), each walking messages_org_sent_idx backwards
  // when the words are common (page 1 stops early) or from the GIN index when they are rare. A limited
  // walk (choose-search-path.ts) looks at no more than the newest `walkLimit` dated messages.
  const matching = (dated: SQL, by: SQL, window: number, walkLimit?: number) => sql`
        select m.id, m.thread_id, m.account_id, m.sent_at, ${levels.level} as level
        from ${walkLimit ? newestMessagesSql(input.orgId, built.dateBounds, walkLimit, { withTies: true }) : sql`messages`} m
        where m.org_id = ${input.orgId} and ${levels.level} <> 'private' and ${sql.join(built.where, sql` and `)} and ${dated}
        order by ${by} limit ${window + 1}`;
  // The window may come back smaller than asked (never below `fewest`) when the matches are too
  // sparse to find that many cheaply (choose-search-path.ts).
  const page = (asked: number, fewest: number) => withSearchPlan(db, { orgId: input.orgId, built, wanted: asked + 1, fewest: fewest + 1, path: input.path, walkLimit: input.walkLimit }, async (tx, plan) => {
    const window = plan.wanted - 1;
    const rows = await queryRows<Row>(
      tx,
      sql`
      with dated as (${matching(sql`m.sent_at is not null`, sql`m.sent_at desc, m.id desc`, window, plan.walkLimit)}),
      undated as (${matching(sql`m.sent_at is null`, sql`m.id desc`, window)}),
      windowed as (
        select * from (select * from dated union all select * from undated) w
        order by sent_at desc nulls last, id desc limit ${window + 1}
      ),
      base as (select * from windowed order by sent_at desc nulls last, id desc limit ${window}),
      cutoff as (select sent_at from base where sent_at is not null order by sent_at desc limit 1 offset ${RANKED_MATCHES - 1}),
      hits as (select b.*, ${rank} as rank from base b),
      grouped as (${
        input.group === "threads"
          ? sql`
        select h.*, count(*) over (partition by coalesce(h.thread_id, h.id)) as matches,
          row_number() over (partition by coalesce(h.thread_id, h.id) order by h.rank desc, h.sent_at desc nulls last, h.id desc) as pick
        from hits h`
          : sql`select h.*, 1 as matches, 1 as pick from hits h`
      }),
      page as (select g.* from grouped g where g.pick = 1 order by ${order} limit ${limit} offset ${offset}),
      -- One row even when the page is past the window's rows: how many it held sizes the next window.
      counts as (select count(*) as total, (select count(*) from windowed) > ${window} as capped,
        (select count(*) from dated) > ${window} as dated_filled from grouped where pick = 1)
      select p.id, p.thread_id, p.account_id, p.sent_at, p.level, p.rank, p.matches, c.total, c.capped, c.dated_filled,
        a.email_address as account_address, m.from_address, m.from_name, m.has_attachments and p.level = 'shared' as has_attachments,
        case when p.level in ('shared', 'subject') then m.subject end as subject, ${highlights.columns}
      from counts c left join (page p join messages m on m.id = p.id join mail_accounts a on a.id = p.account_id ${highlights.join}) on true
      order by ${order}`,
    );
    // A limited walk that did not fill the window may have stopped short of older matches.
    return { rows, window, complete: !plan.walkLimit || pgBoolean(rows[0]?.dated_filled) };
  });
  // Grouped by conversation, a window of N messages holds fewer than N rows: a later page of a capped
  // search widens it until the page fills (or the matches run out), sized from the messages per
  // conversation the last window held (a blind ×4 read 2,000 messages where 1,200 filled page 20).
  let { rows: counted, window } = await page(firstWindow, pageMessages);
  while (input.group === "threads" && pageRows(counted).length < limit && window < firstWindow * 16 && isCapped(counted)) {
    const conversations = Number(counted[0]!.total);
    const needed = conversations > 0 ? Math.ceil((((offset + limit) * window) / conversations) * 1.25) : window * 4;
    const wider = Math.min(firstWindow * 16, Math.max(window * 2, needed));
    ({ rows: counted, window } = await page(wider, wider));
  }
  const rows = pageRows(counted);
  return {
    total: Number(counted[0]?.total ?? 0),
    totalCapped: isCapped(counted),
    sort,
    warnings,
    results: rows.map((row) => ({
      id: row.id,
      threadId: row.thread_id,
      accountId: row.account_id,
      accountAddress: row.account_address,
      subject: row.subject,
      fromAddress: row.from_address,
      fromName: row.from_name,
      sentAt: pgTimestamp(row.sent_at),
      hasAttachments: row.has_attachments === true,
      rank: Number(row.rank),
      access: row.level === "shared" ? "full" : row.level,
      subjectHighlight: markSubject(row.subject ?? "", matchedWords(row.matched) ?? new Set()),
      highlight: excerptSegments(row.excerpt ?? "", matchedWords(row.matched), pgBoolean(row.excerpt_cut)),
      matches: Number(row.matches),
    })),
  };
}

type Row = {
  id: string | null;
  thread_id: string | null;
  account_id: string;
  account_address: string;
  subject: string | null;
  from_address: string | null;
  from_name: string | null;
  sent_at: string | Date | null;
  has_attachments: boolean;
  level: "shared" | "subject" | "metadata";
  rank: number | string;
  matches: number | string;
  total: number | string;
  capped: boolean;
  dated_filled: boolean;
  excerpt: string | null;
  excerpt_cut: boolean;
  matched: unknown;
};

/**
 * Runs the search in a transaction of its own with the planner settings it needs. With words: more
 * working memory (the GIN index answers a word with a bitmap over every organisation's matches: past
 * the default 4 MB it turns lossy, and every message on a lossy page is re-read and re-checked), and
 * the path measured for this query (choose-search-path.ts). Operators only (no GIN index to start
 * from): the planner underestimates how many messages match the per-row exists probes and bitmap-scans
 * every message of each mailbox, then sorts (in:inbox is:unread in a 190k-message organisation: 1.5-3 s);
 * walking messages_org_sent_idx from the newest stops after the window's matches.
 */
async function withSearchPlan<T extends { complete: boolean }>(
  db: Database | Transaction,
  input: { orgId: string; built: SearchSql; wanted: number; fewest: number; path?: SearchPath; walkLimit?: number },
  work: (tx: Transaction, plan: SearchPlan) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const { indexedCondition } = input.built;
    if (!indexedCondition) return steered(tx, { path: "walk", wanted: input.wanted }, work);
    const plan: SearchPlan = input.path
      ? { path: input.path, wanted: input.wanted, walkLimit: input.path === "walk" ? input.walkLimit : undefined }
      : await chooseSearchPlan(tx, { orgId: input.orgId, where: input.built.where, indexedCondition, indexRechecks: input.built.indexRechecks, dateBounds: input.built.dateBounds, filters: input.built.filters, wanted: input.wanted, fewest: input.fewest });
    const walked = await steered(tx, plan, work, SEARCH_WORK_MEM);
    if (walked.complete) return walked;
    // The limited walk met fewer matches than its sample promised: the index has them all.
    return steered(tx, { path: "index", wanted: plan.wanted }, work);
  });
}

/**
 * `work` under the planner settings of its path, sent together: the connection runs the settings
 * first, and the search does not wait a round trip for them (on a VM's loopback, 0.4-0.7 ms).
 */
async function steered<T>(tx: Transaction, plan: SearchPlan, work: (tx: Transaction, plan: SearchPlan) => Promise<T>, workMem?: string): Promise<T> {
  const [, result] = await Promise.all([keepToSearchPath(tx, plan.path, { workMem }), work(tx, plan)]);
  return result;
}

/** The page's rows: a page past the window's rows is one row of counts alone (no id). */
function pageRows(rows: Row[]): (Row & { id: string })[] {
  return rows.filter((row): row is Row & { id: string } => row.id !== null);
}

function isCapped(rows: Row[]): boolean {
  return rows.length > 0 && pgBoolean(rows[0]!.capped);
}

function parseOrThrow(text: string): { query: SearchQuery; warnings: string[] } {
  const result = parseSearchQuery(text);
  if (!result.ok) throw invalid(result.error.message);
  return { query: result.query, warnings: result.warnings };
}
