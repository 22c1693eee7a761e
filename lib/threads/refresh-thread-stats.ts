import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/connect";
import { inList } from "@/lib/ingest/sql-lists";

/**
 * Recomputes count, first/last time, subject (earliest message) and snippet (latest message) of the
 * given threads from their messages, so the figures stay right whatever order mail arrives in.
 * A message's time is its Date header, else when the server received it.
 */
export async function refreshThreadStats(tx: Transaction, orgId: string, threadIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(threadIds)];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    // Lock in id order first: two accounts' syncs refreshing the same threads must not deadlock.
    await tx.execute(sql`select id from threads where org_id = ${orgId} and id in ${inList(chunk)} order by id for update`);
    await tx.execute(sql`
      update threads t set
        message_count = s.message_count,
        first_message_at = s.first_at,
        last_message_at = s.last_at,
        subject = coalesce((select m.subject from messages m where m.thread_id = t.id
          order by coalesce(m.sent_at, m.received_at) asc nulls last, m.created_at limit 1), t.subject),
        snippet = (select m.snippet from messages m where m.thread_id = t.id
          order by coalesce(m.sent_at, m.received_at) desc nulls last, m.created_at desc limit 1)
      from (
        select thread_id, count(*)::int as message_count,
          min(coalesce(sent_at, received_at)) as first_at, max(coalesce(sent_at, received_at)) as last_at
        from messages where org_id = ${orgId} and thread_id in ${inList(chunk)} group by thread_id
      ) s
      where t.id = s.thread_id and t.org_id = ${orgId}`);
  }
}
