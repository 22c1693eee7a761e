import { type SQL, sql } from "drizzle-orm";
import { textArray } from "@/lib/ingest/sql-lists";

// A highlighted snippet as segments, so the UI never has to trust HTML built from mail content.
export type HighlightSegment = { text: string; match: boolean };

const START = "\u0002";
const STOP = "\u0003";
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;
const SUBJECT_OPTIONS = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;
// ts_headline re-parses the text for every row shown and costs about linearly in its length (a page of
// 25 at 4,000 characters a body: 10 ms; at 1,200: 5 ms; at 600: 3 ms). So it is given a window around
// the first place a query word occurs in the body's first SCAN_CHARS (found by plain substring search,
// far cheaper than parsing), or, when no word is found there (a stem the body only has in another
// form, a match in the subject alone), the body's first FALLBACK_CHARS. A result shows two lines of
// its excerpt (~240 characters): the first fragment (30 words at most, ~200 characters) and the start
// of a second when one is near.
const SCAN_CHARS = 20_000;
const WINDOW_BEFORE = 80;
const WINDOW_CHARS = 400;
const FALLBACK_CHARS = 1_000;

/**
 * The subject and body highlights of the page's rows (`p` the page row with its visibility level, `m`
 * its message): `terms` are the query's words as typed and stemmed, lowercased.
 */
export function headlinesSql(rankQuery: SQL | null, terms: readonly string[]): SQL {
  if (!rankQuery) {
    return sql`null::text as subject_headline, case when p.level = 'shared' then m.snippet end as body_headline`;
  }
  const body = sql`coalesce(m.text_body, m.snippet, '')`;
  const scanned = scanTerms(terms);
  // offset 0 computes the lowered body once a row: inlined, Postgres computed it again for every term
  // (a page's excerpts: 8 → 5 ms).
  const excerpt = scanned.length
    ? sql`(select case when f.at is null then left(b.body, ${FALLBACK_CHARS}) else substr(b.body, greatest(1, f.at - ${WINDOW_BEFORE}), ${WINDOW_CHARS}) end
        from (select ${body} as body, lower(left(${body}, ${SCAN_CHARS})) as lowered offset 0) b
        cross join lateral (select min(nullif(strpos(b.lowered, t), 0)) as at from unnest(${textArray(scanned)}) t) f)`
    : sql`left(${body}, ${FALLBACK_CHARS})`;
  return sql`case when p.level in ('shared', 'subject') then ts_headline('english', coalesce(m.subject, ''), ${rankQuery}, ${SUBJECT_OPTIONS}) end as subject_headline,
    case when p.level = 'shared' then ts_headline('english', ${excerpt}, ${rankQuery}, ${HEADLINE_OPTIONS}) end as body_headline`;
}

export function splitHighlight(headline: string): HighlightSegment[] {
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

/**
 * The strings whose first occurrence starts the excerpt. An english stem is a prefix of the words it
 * stems from, except where the stemmer turned a final y into i ("studies" and "study" are "studi"):
 * such a stem is looked for without its i too.
 */
function scanTerms(terms: readonly string[]): string[] {
  const variants = terms.flatMap((term) => (term.length > 3 && term.endsWith("i") ? [term, term.slice(0, -1)] : [term]));
  return [...new Set(variants)];
}
