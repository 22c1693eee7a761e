import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import { scopeSql, type UsageScope, windowStartSql } from "./usage-scope";

export type UsageSummary = {
  accounts: { total: number; byStatus: Record<string, number>; byProvider: { provider: string; status: string; count: number }[] };
  messages: number;
  /** Raw size of the stored messages (messages.size) plus the attachment copies kept in the database. */
  storage: { messageBytes: number; attachmentBytes: number; totalBytes: number };
  runs: { today: number; inWindow: number; failed: number; partial: number; throttled: number; finished: number; failureRate: number | null };
  messagesAdded: number;
  errorsByKind: { kind: string; count: number }[];
  lastActivityAt: Date | null;
  organizations: number;
};

/** The headline numbers of a usage page: accounts by provider and status, messages, storage, sync health. */
export async function getUsageSummary(db: Database, scope: UsageScope, days: number): Promise<UsageSummary> {
  const since = windowStartSql(days);
  const accountScope = scope.kind === "account" ? scopeSql(scope, "a", "id") : scopeSql(scope, "a");
  const [accounts, totals, runs, kinds] = await Promise.all([
    queryRows<{ provider: string; status: string; n: number | string }>(
      db,
      sql`select a.provider::text as provider, a.status::text as status, count(*) as n from mail_accounts a where ${accountScope} group by 1, 2 order by 1, 2`,
    ),
    queryRows<{ messages: string | number; message_bytes: string | number | null; attachment_bytes: string | number | null; organizations: string | number }>(
      db,
      sql`select
        (select count(*) from messages m where ${scopeSql(scope, "m")}) as messages,
        (select coalesce(sum(m.size), 0) from messages m where ${scopeSql(scope, "m")}) as message_bytes,
        (select coalesce(sum(octet_length(t.content)), 0) from attachments t join messages m on m.id = t.message_id
          where ${scopeSql(scope, "m")} and t.content is not null) as attachment_bytes,
        (select count(*) from organizations o where ${scope.kind === "platform" ? sql`true` : sql`o.id = ${scope.orgId}`}) as organizations`,
    ),
    queryRows<Record<string, string | number | Date | null>>(
      db,
      sql`select
        count(*) filter (where r.started_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC') as today,
        count(*) filter (where r.started_at >= ${since}) as in_window,
        count(*) filter (where r.started_at >= ${since} and r.outcome = 'failed') as failed,
        count(*) filter (where r.started_at >= ${since} and r.outcome = 'partial') as partial,
        count(*) filter (where r.started_at >= ${since} and r.outcome <> 'running') as finished,
        count(*) filter (where r.started_at >= ${since} and r.error_kind = 'throttled') as throttled,
        coalesce(sum(r.messages_added) filter (where r.started_at >= ${since}), 0) as added,
        max(r.started_at) as last_run
      from sync_runs r where ${scopeSql(scope, "r")}`,
    ),
    queryRows<{ kind: string; n: string | number }>(
      db,
      sql`select r.error_kind as kind, count(*) as n from sync_runs r
        where ${scopeSql(scope, "r")} and r.started_at >= ${since} and r.error_kind is not null
        group by 1 order by 2 desc, 1`,
    ),
  ]);

  const byStatus: Record<string, number> = {};
  for (const row of accounts) byStatus[row.status] = (byStatus[row.status] ?? 0) + Number(row.n);
  const t = totals[0]!;
  const r = runs[0]!;
  const finished = Number(r.finished);
  const failed = Number(r.failed);
  const messageBytes = Number(t.message_bytes ?? 0);
  const attachmentBytes = Number(t.attachment_bytes ?? 0);
  return {
    accounts: { total: accounts.reduce((n, row) => n + Number(row.n), 0), byStatus, byProvider: accounts.map((row) => ({ provider: row.provider, status: row.status, count: Number(row.n) })) },
    messages: Number(t.messages),
    storage: { messageBytes, attachmentBytes, totalBytes: messageBytes + attachmentBytes },
    runs: {
      today: Number(r.today),
      inWindow: Number(r.in_window),
      failed,
      partial: Number(r.partial),
      throttled: Number(r.throttled),
      finished,
      failureRate: finished ? failed / finished : null,
    },
    messagesAdded: Number(r.added),
    errorsByKind: kinds.map((k) => ({ kind: k.kind, count: Number(k.n) })),
    lastActivityAt: pgTimestamp(r.last_run as string | Date | null),
    organizations: Number(t.organizations),
  };
}
