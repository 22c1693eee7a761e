import { type SQL, sql } from "drizzle-orm";

/** The mail and sync figures every usage row carries, whether per account or per organisation. */
export type UsageFigures = {
  messages: number;
  storageBytes: number;
  runs: number;
  failed: number;
  throttled: number;
  failureRate: number | null;
  messagesAdded: number;
};

/**
 * Sync runs started since `since`, grouped by `groupColumn`, as columns runs / failed / finished /
 * throttled / added / last_run. Only finished runs count towards the failure rate, so a run in
 * progress does not make a healthy account look flaky.
 */
export function syncRunTotalsSql(groupColumn: "account_id" | "org_id", where: SQL, since: SQL): SQL {
  const group = sql.raw(`r.${groupColumn}`);
  return sql`select ${group}, count(*) as runs, count(*) filter (where r.outcome = 'failed') as failed,
      count(*) filter (where r.outcome <> 'running') as finished, count(*) filter (where r.error_kind = 'throttled') as throttled,
      sum(r.messages_added) as added, max(r.started_at) as last_run
    from sync_runs r where ${where} and r.started_at >= ${since} group by ${group}`;
}

/** Reads the columns of syncRunTotalsSql plus `messages` and `storage` from a usage row. */
export function readUsageFigures(row: Record<string, unknown>): UsageFigures {
  const finished = Number(row.finished);
  const failed = Number(row.failed);
  return {
    messages: Number(row.messages),
    storageBytes: Number(row.storage),
    runs: Number(row.runs),
    failed,
    throttled: Number(row.throttled),
    failureRate: finished ? failed / finished : null,
    messagesAdded: Number(row.added),
  };
}
