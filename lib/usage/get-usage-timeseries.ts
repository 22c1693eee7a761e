import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { scopeSql, type UsageScope, windowStartSql } from "./usage-scope";

export type UsageDay = {
  /** YYYY-MM-DD, UTC. */
  day: string;
  messagesAdded: number;
  runs: number;
  failed: number;
  /** Duration of the day's finished runs, in seconds (null: none finished). */
  durationP50: number | null;
  durationP95: number | null;
  /** Runs that ended with an error, by kind (auth, throttled, network, timeout, protocol, interrupted…). */
  errors: Record<string, number>;
};

/** One row per UTC day of the window, days without runs included (zeros), oldest first. */
export async function getUsageTimeseries(db: Database, scope: UsageScope, days: number): Promise<UsageDay[]> {
  const since = windowStartSql(days);
  const [perDay, perKind] = await Promise.all([
    queryRows<{ day: string; added: string | number | null; runs: string | number; failed: string | number; p50: string | number | null; p95: string | number | null }>(
      db,
      sql`with days as (
          select to_char(d, 'YYYY-MM-DD') as day
          from generate_series(${since} at time zone 'UTC', date_trunc('day', now() at time zone 'UTC'), interval '1 day') as d
        ),
        runs as (
          select to_char(r.started_at at time zone 'UTC', 'YYYY-MM-DD') as day, r.messages_added, r.outcome,
            case when r.finished_at is not null and r.outcome <> 'running' then extract(epoch from r.finished_at - r.started_at) end as seconds
          from sync_runs r where ${scopeSql(scope, "r")} and r.started_at >= ${since}
        )
        select d.day, sum(r.messages_added) as added, count(r.day) as runs, count(*) filter (where r.outcome = 'failed') as failed,
          percentile_cont(0.5) within group (order by r.seconds) as p50,
          percentile_cont(0.95) within group (order by r.seconds) as p95
        from days d left join runs r on r.day = d.day
        group by d.day order by d.day`,
    ),
    queryRows<{ day: string; kind: string; n: string | number }>(
      db,
      sql`select to_char(r.started_at at time zone 'UTC', 'YYYY-MM-DD') as day, r.error_kind as kind, count(*) as n
        from sync_runs r where ${scopeSql(scope, "r")} and r.started_at >= ${since} and r.error_kind is not null
        group by 1, 2`,
    ),
  ]);
  const errors = new Map<string, Record<string, number>>();
  for (const row of perKind) errors.set(row.day, { ...errors.get(row.day), [row.kind]: Number(row.n) });
  return perDay.map((row) => ({
    day: row.day,
    messagesAdded: Number(row.added ?? 0),
    runs: Number(row.runs),
    failed: Number(row.failed),
    durationP50: row.p50 == null ? null : round(Number(row.p50)),
    durationP95: row.p95 == null ? null : round(Number(row.p95)),
    errors: errors.get(row.day) ?? {},
  }));
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
