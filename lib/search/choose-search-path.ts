import { type SQL, sql } from "drizzle-orm";
import type { Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";

/**
 * How the newest matches of a full-text search are found:
 * - walk: down messages_org_sent_idx from the newest message, testing each row; cheap while matches
 *   are dense (a common word: a few rows per match), ruinous when they are sparse.
 * - index: every match in the GIN index, then sorted by date; cheap while matches are few, ruinous
 *   when a word is in tens of thousands of the organisation's messages.
 * Postgres guesses the density from table-wide statistics and gets both ends wrong in practice: a
 * phrase of two common words looks common and is rare (walked 79,000 rows: 3.9 s), a mid word in a
 * large organisation looks rare (sorted 20,000 matches: 2.8 s). So we measure it on the newest
 * SAMPLE messages of the organisation (within the search's dates) and weigh the rows the walk would visit to find `wanted`
 * matches against the organisation's matches the index would return.
 */
export type SearchPath = "walk" | "index";

const SAMPLE = 300;
// Measured warm on the 193k-message benchmark organisation with the vectors in the rows (migration
// 0009), a row walked costs 1.2 µs and a match read from the index 2.5 µs. A walked row is still
// counted as two matches: the walk's length rests on a density measured on the newest 300 messages,
// and older mail can be sparser. Counted at its measured cost (and with a wider sample when the first
// was inconclusive), sparse words went on walks longer than their sample promised: search p95 +10-25 ms.
const WALK_ROW_COST = 2;
// What a search may cost, in matches read from the index (~13 ms), before it reads fewer of the newest
// matches than it would like.
const COST_BUDGET = 5_000;
// The index path's real cost per match where its matches are scattered (a mid word, a word and an
// operator): each is a heap page of its own, 4.6-6.9 µs in the largest benchmark organisation, against
// 1.2 µs a walked row (rows in date order share pages). A walk that is given a limit can trust that
// ratio: when the density it was planned on does not hold, it stops and the index answers instead.
const SCATTERED_MATCH_COST = 4;
// A limited walk may visit this many times the rows its sample predicts before giving up...
const WALK_LIMIT_FACTOR = 2;
// ...and is planned only on a sample with this many matches (below it the density is a guess).
const WALK_LIMIT_MIN_HITS = 4;

/**
 * `walkLimit`: the walk stops after that many of the newest messages; when it has not found `wanted`
 * matches by then, the search is answered from the index instead (withSearchPlan).
 */
export type SearchPlan = { path: SearchPath; wanted: number; walkLimit?: number };

/**
 * Chooses the path and how many of the newest matches to read: `wanted`, or down to `fewest` when
 * either path would cost more than COST_BUDGET (see planSearch).
 */
export async function chooseSearchPlan(
  tx: Transaction,
  input: { orgId: string; where: SQL[]; indexedCondition: SQL; indexRechecks?: boolean; dateBounds: SQL[]; filters?: SQL[]; wanted: number; fewest?: number },
): Promise<SearchPlan> {
  const filters = input.filters ?? [];
  const [[row], estimated] = await Promise.all([
    queryRows<{ n: number | string; hits: number | string; indexed: number | string; filtered: number | string | null }>(
      tx,
      sql`select count(*) as n, count(*) filter (where ${sql.join(input.where, sql` and `)}) as hits,
          count(*) filter (where ${input.indexedCondition}) as indexed,
          ${filters.length ? sql`count(*) filter (where ${sql.join(filters, sql` and `)})` : sql`null`} as filtered
        from ${newestMessagesSql(input.orgId, input.dateBounds, SAMPLE)} m`,
    ),
    estimateOrgMessages(tx, input.orgId),
  ]);
  const sampled = Number(row?.n ?? 0);
  // Fewer than SAMPLE messages in all: the sample was the whole walk.
  if (sampled < SAMPLE) return { path: "walk", wanted: input.wanted };
  const orgMessages = Math.max(sampled, estimated);
  const measured = {
    sampled,
    hits: Number(row?.hits ?? 0),
    indexHits: Number(row?.indexed ?? 0),
    filtered: row?.filtered == null ? undefined : Number(row.filtered),
    orgMessages,
    indexRechecks: input.indexRechecks ?? false,
  };
  return planSearch({ ...measured, wanted: input.wanted, fewest: input.fewest ?? input.wanted });
}

/**
 * The cheaper path for `wanted` matches; when even that costs more than COST_BUDGET (a
 * phrase of two common words: 1 message in 150 has it, so 200 matches are 31,000 rows walked or
 * 72,000 read from the index), the newest matches a walk of that budget finds, never fewer than
 * `fewest` (what the page needs): those are ranked, and the count says "N+".
 */
export function planSearch(input: SampledSearch & { wanted: number; fewest: number }): SearchPlan {
  const { density, walkCost, indexCost } = costsOf(input);
  const path = weighSearchPaths(input);
  const cost = path === "walk" ? walkCost(input.wanted) : indexCost;
  const chosen = (path === "index" && limitedWalk(input)) || { path, wanted: input.wanted };
  if (cost <= COST_BUDGET) return chosen;
  // In steps of 25, so the count reads "100+" rather than "108+".
  const affordable = Math.max(input.fewest, Math.min(input.wanted, Math.floor((COST_BUDGET / WALK_ROW_COST) * density / 25) * 25 + 1));
  return walkCost(affordable) < cost ? { path: "walk", wanted: affordable } : chosen;
}

/**
 * The rows the walk would visit to find `wanted` matches, against the rows the index would return:
 * every message with the words (`indexHits`), of which the other conditions (operators, phrases,
 * visibility) then keep `hits`.
 */
export function weighSearchPaths(input: SampledSearch & { wanted: number }): SearchPath {
  const { walkCost, indexCost } = costsOf(input);
  return walkCost(input.wanted) <= indexCost ? "walk" : "index";
}

/**
 * A walk with a limit instead of the index path, where the index would read scattered matches: even
 * walked to its limit (twice the rows the sample predicts) it costs less than the index path, so a
 * wrong guess costs at most the walk and then the index. Null when the sample is too thin to predict,
 * or the limit would not stop short of the whole organisation.
 */
function limitedWalk(input: SampledSearch & { wanted: number }): SearchPlan | null {
  // Words and operators (in:sent and a word) match too few of 300 to count: the words' share times
  // the operators' share, each counted on more of them, says more, as long as the two are about
  // independent.
  const { filtered } = input;
  const counted = filtered !== undefined && input.indexHits >= WALK_LIMIT_MIN_HITS && filtered >= WALK_LIMIT_MIN_HITS;
  const hits = Math.max(input.hits, counted ? (input.indexHits * filtered) / input.sampled : 0);
  if (input.hits < WALK_LIMIT_MIN_HITS && !counted) return null;
  const walkLimit = Math.ceil((WALK_LIMIT_FACTOR * input.wanted * input.sampled) / hits);
  if (walkLimit >= input.orgMessages || walkLimit > costsOf(input).indexRows * SCATTERED_MATCH_COST) return null;
  return { path: "walk", wanted: input.wanted, walkLimit };
}

/**
 * What the newest SAMPLE messages said about a search, and the organisation's size. `filtered`: how
 * many met the operators' conditions alone (when there are any).
 */
export type SampledSearch = { sampled: number; hits: number; indexHits: number; filtered?: number; orgMessages: number; indexRechecks?: boolean };

/**
 * In matches read from the index: walking to `wanted` matches, and reading every message the index
 * returns (re-read for word positions when a phrase is among the words: each then costs a row walked).
 */
function costsOf(input: SampledSearch) {
  const density = Math.max(input.hits, 0.5) / input.sampled;
  const walkCost = (wanted: number) => Math.min(wanted / density, input.orgMessages) * WALK_ROW_COST;
  const indexRows = (Math.max(input.indexHits, input.hits, 0.5) / input.sampled) * input.orgMessages;
  return { density, walkCost, indexRows, indexCost: input.indexRechecks ? indexRows * WALK_ROW_COST : indexRows };
}

/**
 * The organisation's newest `limit` dated messages within the search's dates, newest first, whole
 * rows (as `m`'s columns), in the date index's order alone: sorting by id too would copy every row,
 * vector and all. `withTies`: and any sent at the same time as the last, so a walk over them that
 * fills its window has every match as new as its last one.
 */
export function newestMessagesSql(orgId: string, dateBounds: SQL[], limit: number, options: { withTies?: boolean } = {}): SQL {
  const bounds = dateBounds.map((bound) => sql` and ${bound}`);
  const last = options.withTies ? sql`fetch first ${limit} rows with ties` : sql`limit ${limit}`;
  return sql`(select * from messages m where m.org_id = ${orgId} and m.sent_at is not null${sql.join(bounds, sql``)}
    order by m.sent_at desc ${last})`;
}

/** Planner settings (and working memory), for this transaction only, that keep Postgres on the chosen path: one statement. */
export async function keepToSearchPath(tx: Transaction, path: SearchPath, options: { workMem?: string } = {}): Promise<void> {
  // index: no plain index scans, so no walking messages_org_sent_idx; the GIN bitmap (and lookups by
  // key, as bitmap scans) remain. walk: no bitmaps, so no GIN, and no parallel workers: each walks
  // its own share of the index until it alone has the window's matches (three times the rows).
  // No JIT either: a limited walk estimated past jit_above_cost compiled for 120 ms to do 46 ms of work.
  const settings =
    path === "index"
      ? [sql`set_config('enable_indexscan', 'off', true)`]
      : [sql`set_config('enable_bitmapscan', 'off', true)`, sql`set_config('max_parallel_workers_per_gather', '0', true)`];
  settings.push(sql`set_config('jit', 'off', true)`);
  if (options.workMem) settings.push(sql`set_config('work_mem', ${options.workMem}, true)`);
  await tx.execute(sql`select ${sql.join(settings, sql`, `)}`);
}

/**
 * The organisation's number of messages from the planner's statistics (no count over its rows):
 * its share of messages.org_id's most common values, or an even share of the rest.
 */
async function estimateOrgMessages(tx: Transaction, orgId: string): Promise<number> {
  const cached = orgSizes.get(orgId);
  if (cached && cached.until > Date.now()) return cached.messages;
  const [row] = await queryRows<{ total: number | string; freq: number | string | null; rest: number | string | null; others: number | string | null }>(
    tx,
    sql`select greatest(c.reltuples, 0) as total,
      (select x.f from unnest(s.most_common_vals::text::uuid[], s.most_common_freqs) as x(v, f) where x.v = ${orgId}) as freq,
      1 - (select coalesce(sum(f), 0) from unnest(s.most_common_freqs) as f) as rest,
      (case when s.n_distinct < 0 then -s.n_distinct * greatest(c.reltuples, 0) else s.n_distinct end) - coalesce(cardinality(s.most_common_freqs), 0) as others
    from pg_class c left join pg_stats s on s.schemaname = current_schema() and s.tablename = 'messages' and s.attname = 'org_id'
    where c.oid = 'messages'::regclass`,
  );
  const total = Number(row?.total ?? 0);
  const messages = row?.freq != null ? total * Number(row.freq) : row?.rest == null ? total : (total * Number(row.rest)) / Math.max(1, Number(row.others ?? 1));
  orgSizes.set(orgId, { messages, until: Date.now() + ORG_SIZE_TTL_MS });
  return messages;
}

// Planning the statistics query costs about as much as the search's sample: statistics change only
// with ANALYZE, and a path needs the size to within a factor, not exactly.
const ORG_SIZE_TTL_MS = 5 * 60_000;
const orgSizes = new Map<string, { messages: number; until: number }>();
