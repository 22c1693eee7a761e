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
 * SAMPLE messages of the organisation and choose.
 */
export type SearchPath = "walk" | "index";

const SAMPLE = 300;
// The walk is chosen while it should find `wanted` matches within this many rows (~20 µs a row).
const WALK_BUDGET = 2500;

export async function chooseSearchPath(tx: Transaction, input: { orgId: string; where: SQL[]; wanted: number }): Promise<SearchPath> {
  const [row] = await queryRows<{ n: number | string; hits: number | string }>(
    tx,
    sql`select count(*) as n, count(*) filter (where ${sql.join(input.where, sql` and `)}) as hits
      from (select m.id from messages m where m.org_id = ${input.orgId} and m.sent_at is not null order by m.sent_at desc limit ${SAMPLE}) s
      join messages m on m.id = s.id join mail_accounts a on a.id = m.account_id and a.org_id = m.org_id`,
  );
  const sampled = Number(row?.n ?? 0);
  const hits = Number(row?.hits ?? 0);
  // A small organisation is walked whole in less than the budget.
  if (sampled < SAMPLE) return "walk";
  return (input.wanted * sampled) / Math.max(hits, 0.5) <= WALK_BUDGET ? "walk" : "index";
}

/** Planner settings, for this transaction only, that keep Postgres on the chosen path. */
export async function keepToSearchPath(tx: Transaction, path: SearchPath): Promise<void> {
  // index: no plain index scans, so no walking messages_org_sent_idx; the GIN bitmap (and lookups by
  // key, as bitmap scans) remain. walk: no bitmaps, so no GIN.
  await tx.execute(sql`select set_config(${path === "walk" ? "enable_bitmapscan" : "enable_indexscan"}, 'off', true)`);
}
