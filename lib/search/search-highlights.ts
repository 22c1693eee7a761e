import { type SQL, sql } from "drizzle-orm";
import { textArray } from "@/lib/ingest/sql-lists";

// A highlighted snippet as segments, so the UI never has to trust HTML built from mail content.
export type HighlightSegment = { text: string; match: boolean };

// The excerpt is cut from a window around the first place a query word occurs in the body's first
// SCAN_CHARS (found by plain substring search), or the body's start when no word is found there (a
// stem the body only has in another form, a match in the subject alone). A result shows two lines of
// it (~240 characters): the first fragment, and the start of a second when one is near.
const SCAN_CHARS = 20_000;
const WINDOW_BEFORE = 80;
const WINDOW_CHARS = 400;
const FRAGMENT_WORDS = 30;
const WORDS_BEFORE_MATCH = 5;
const FRAGMENT_DELIMITER = " … ";
// Words as Postgres' regular expressions see them (\w): letters, digits and underscores.
const WORD = /[\p{L}\p{N}_]+/gu;

/**
 * SQL for the page's rows (`p` the page row with its visibility level, `m` its message): a lateral
 * join that cuts the body's excerpt, and the columns `excerpt`, `excerpt_cut` (it starts mid-body)
 * and `matched`, the distinct words of the subject and excerpt the query matches (lowercased).
 * `terms` are the query's words as typed and stemmed, lowercased. Matching is Postgres' own (each
 * candidate word's english lexemes against the terms); which words are candidates, the fragments and
 * the marks are decided here: ts_headline parsed and stemmed every word of every excerpt, 4 of a
 * typical search's 22 ms.
 */
export function highlightsSql(rankQuery: SQL | null, terms: readonly string[]): { join: SQL; columns: SQL } {
  const body = sql`coalesce(m.text_body, m.snippet, '')`;
  const scanned = scanTerms(terms);
  if (!rankQuery || scanned.length === 0) {
    return {
      join: sql`cross join lateral (select case when p.level = 'shared' then m.snippet end as excerpt, false as excerpt_cut) e`,
      columns: sql`e.excerpt, e.excerpt_cut, null::text[] as matched`,
    };
  }
  // offset 0 computes the lowered body once a row: inlined, Postgres computed it again for every term.
  const join = sql`cross join lateral (select case when p.level = 'shared' then
      (case when f.at is null then left(b.body, ${WINDOW_CHARS}) else substr(b.body, greatest(1, f.at - ${WINDOW_BEFORE}), ${WINDOW_CHARS}) end) end as excerpt,
      p.level = 'shared' and coalesce(f.at > ${WINDOW_BEFORE + 1}, false) as excerpt_cut
    from (select ${body} as body, lower(left(${body}, ${SCAN_CHARS})) as lowered offset 0) b
    cross join lateral (select min(nullif(strpos(b.lowered, t), 0)) as at from unnest(${textArray(scanned)}) t) f) e`;
  const candidates = `\\m(?:${scanned.map(escapeRegExp).join("|")})\\w*`;
  const columns = sql`e.excerpt, e.excerpt_cut,
    case when p.level in ('shared', 'subject') then (select coalesce(array_agg(distinct c.w), '{}') from (
      select lower(x[1]) as w from regexp_matches(coalesce(m.subject, '') || ' ' || coalesce(e.excerpt, ''), ${`(${candidates})`}, 'gi') as x) c
      where c.w = any(${textArray(terms)}) or tsvector_to_array(to_tsvector('english', c.w)) && ${textArray(terms)}) end as matched`;
  return { join, columns };
}

/** The subject with every matched word marked. */
export function markSubject(subject: string, matched: ReadonlySet<string>): HighlightSegment[] {
  return markWords(subject, matched);
}

/**
 * Up to two fragments of FRAGMENT_WORDS words from the excerpt: the first from a few words before the
 * first match, the second around the next match after it; the excerpt's start when nothing matches.
 * `cut`: the excerpt starts mid-body, so its first word may be a part of one.
 */
export function excerptSegments(excerpt: string, matched: ReadonlySet<string> | null, cut: boolean): HighlightSegment[] {
  if (!matched) return normalise([{ text: excerpt, match: false }]);
  const ranges = matchRanges(excerpt, matched);
  const words = [...excerpt.matchAll(WORD)].map((w) => {
    const [start, end] = [w.index, w.index + w[0].length];
    return { start, end, match: ranges.some(([from, to]) => from < end && start < to) };
  });
  // A word touching a cut edge of the window may be the end or start of a longer one.
  const first = cut && words[0]?.start === 0 && !words[0].match ? 1 : 0;
  const last = excerpt.length >= WINDOW_CHARS && words.at(-1)?.end === excerpt.length ? words.length - 1 : words.length;
  const usable = words.slice(first, Math.max(first, last));
  const firstMatch = usable.findIndex((w) => w.match);
  const start = firstMatch < 0 ? 0 : Math.max(0, firstMatch - WORDS_BEFORE_MATCH);
  let end = Math.min(usable.length, start + FRAGMENT_WORDS);
  const next = firstMatch < 0 ? -1 : usable.findIndex((w, i) => i >= end && w.match);
  const fragments: [number, number][] = [[start, end]];
  if (next >= 0) {
    const from = Math.max(end, next - WORDS_BEFORE_MATCH);
    end = Math.min(usable.length, from + FRAGMENT_WORDS);
    // Right after the first: one longer fragment rather than two joined by an ellipsis.
    if (from === fragments[0]![1]) fragments[0]![1] = end;
    else fragments.push([from, end]);
  }
  const segments: HighlightSegment[] = [];
  for (const [i, [from, to]] of fragments.entries()) {
    if (to <= from) continue;
    if (i > 0) segments.push({ text: FRAGMENT_DELIMITER, match: false });
    segments.push(...markWords(excerpt.slice(usable[from]!.start, usable[to - 1]!.end), matched));
  }
  return normalise(segments);
}

export function matchedWords(value: unknown): Set<string> | null {
  if (value == null) return null;
  return new Set(Array.isArray(value) ? value.map(String) : []);
}

function markWords(text: string, matched: ReadonlySet<string>): HighlightSegment[] {
  const segments: HighlightSegment[] = [];
  let at = 0;
  for (const [start, end] of matchRanges(text, matched)) {
    if (start > at) segments.push({ text: text.slice(at, start), match: false });
    segments.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return normalise(segments);
}

/** Where the matched words occur, whole words only; longest first, so an address or a dotted name is one match. */
function matchRanges(text: string, matched: ReadonlySet<string>): [number, number][] {
  if (matched.size === 0) return [];
  const alternatives = [...matched].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`, "giu");
  return [...text.matchAll(pattern)].map((found) => [found.index, found.index + found[0].length]);
}

function normalise(segments: HighlightSegment[]): HighlightSegment[] {
  const merged: HighlightSegment[] = [];
  for (const segment of segments) {
    const text = segment.text.replace(/\s+/g, " ");
    if (!text) continue;
    const previous = merged.at(-1);
    if (previous && previous.match === segment.match && !segment.match) previous.text += text;
    else merged.push({ text, match: segment.match });
  }
  return merged;
}

/**
 * The strings whose first occurrence starts the excerpt, and which begin the candidate words. An
 * english stem is a prefix of the words it stems from, except where the stemmer turned a final y into
 * i ("studies" and "study" are "studi"): such a stem is looked for without its i too.
 */
function scanTerms(terms: readonly string[]): string[] {
  const variants = terms.flatMap((term) => (term.length > 3 && term.endsWith("i") ? [term, term.slice(0, -1)] : [term]));
  return [...new Set(variants)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}
