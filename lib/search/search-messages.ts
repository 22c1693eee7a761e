import { type SQL, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";

export type SearchMessagesInput = {
  orgId: string;
  query: string;
  limit?: number;
  offset?: number;
  // Extra conditions on `m` (messages), ANDed in: where a Gmail-style operator parser plugs in.
  where?: SQL[];
};

// A highlighted snippet as segments, so the UI never has to trust HTML built from mail content.
export type HighlightSegment = { text: string; match: boolean };

export type SearchResult = {
  id: string;
  threadId: string | null;
  accountId: string;
  subject: string | null;
  fromAddress: string | null;
  fromName: string | null;
  sentAt: Date | null;
  rank: number;
  highlight: HighlightSegment[];
};

export type SearchMessagesOutput = { total: number; results: SearchResult[] };

const START = "\u0002";
const STOP = "\u0003";

/**
 * Full-text search over the organisation's messages with `websearch_to_tsquery` syntax ("quoted
 * phrases", -exclusions, OR) against the weighted `search` column (subject A, participants B, body C).
 * The query is parsed with both the english config (stemmed, matches subject and body) and the simple
 * one (verbatim, matches participant names and addresses); either may match. Ranked by ts_rank_cd,
 * newest first on ties; highlights come from ts_headline over the page's rows only.
 */
export async function searchMessages(db: Database | Transaction, input: SearchMessagesInput): Promise<SearchMessagesOutput> {
  const query = input.query.trim();
  const limit = Math.max(1, Math.min(Math.trunc(input.limit ?? 20), 200));
  const offset = Math.max(0, Math.trunc(input.offset ?? 0));
  if (!query) return { total: 0, results: [] };

  const conditions = [sql`m.org_id = ${input.orgId}`, sql`m.search @@ q.tsq`, ...(input.where ?? [])];
  const rows = await queryRows<Row>(
    db,
    sql`
    with q as (
      select websearch_to_tsquery('english', ${query}) || websearch_to_tsquery('simple', ${query}) as tsq
    ),
    ranked as (
      select m.id, m.thread_id, m.account_id, m.subject, m.from_address, m.from_name, m.sent_at, m.snippet,
        ts_rank_cd(m.search, q.tsq) as rank, count(*) over () as total
      from messages m, q
      where ${sql.join(conditions, sql` and `)}
      order by rank desc, m.sent_at desc nulls last, m.id
      limit ${limit} offset ${offset}
    )
    select r.*,
      ts_headline('english', coalesce(r.subject, '') || ' · ' || left(coalesce(m.text_body, r.snippet, ''), 20000), q.tsq,
        ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`}) as headline
    from ranked r join messages m on m.id = r.id, q
    order by r.rank desc, r.sent_at desc nulls last, r.id`,
  );
  return {
    total: rows.length ? Number(rows[0]!.total) : 0,
    results: rows.map((row) => ({
      id: row.id,
      threadId: row.thread_id,
      accountId: row.account_id,
      subject: row.subject,
      fromAddress: row.from_address,
      fromName: row.from_name,
      sentAt: pgTimestamp(row.sent_at),
      rank: Number(row.rank),
      highlight: splitHighlight(row.headline ?? ""),
    })),
  };
}

type Row = {
  id: string;
  thread_id: string | null;
  account_id: string;
  subject: string | null;
  from_address: string | null;
  from_name: string | null;
  sent_at: string | Date | null;
  snippet: string | null;
  rank: number | string;
  total: number | string;
  headline: string | null;
};

function splitHighlight(headline: string): HighlightSegment[] {
  const segments: HighlightSegment[] = [];
  for (const [i, part] of headline.split(START).entries()) {
    if (i === 0) {
      if (part) segments.push({ text: part.replaceAll(STOP, ""), match: false });
      continue;
    }
    const stop = part.indexOf(STOP);
    const matched = stop < 0 ? part : part.slice(0, stop);
    const rest = stop < 0 ? "" : part.slice(stop + 1).replaceAll(STOP, "");
    if (matched) segments.push({ text: matched, match: true });
    if (rest) segments.push({ text: rest, match: false });
  }
  return segments.map((s) => ({ ...s, text: s.text.replace(/\s+/g, " ") })).filter((s) => s.text.length > 0);
}
