import type { Transaction } from "@/db/connect";
import { threadColumns } from "@/lib/ingest/message-rows";
import { chunkRows, insertJsonRows } from "@/lib/ingest/sql-lists";
import type { NewThread } from "./assign-threads";

export type ThreadMember = { threadId: string | null; at: Date | null; subject: string | null; snippet: string | null };

/**
 * Inserts the batch's new threads with their figures already computed: a new thread holds only
 * messages of this batch, so count, time span, subject (earliest message) and snippet (latest) are
 * known without reading anything back.
 */
export async function insertThreads(tx: Transaction, orgId: string, threads: NewThread[], members: ThreadMember[]): Promise<void> {
  if (!threads.length) return;
  const stats = new Map(
    threads.map((t) => [t.id, { count: 0, first: null as ThreadMember | null, last: null as ThreadMember | null, minAt: Infinity, maxAt: -Infinity }]),
  );
  for (const m of members) {
    const s = m.threadId ? stats.get(m.threadId) : undefined;
    if (!s) continue;
    s.count += 1;
    if (m.at) {
      s.minAt = Math.min(s.minAt, m.at.getTime());
      s.maxAt = Math.max(s.maxAt, m.at.getTime());
    }
    if (!s.first || before(m.at, s.first.at)) s.first = m;
    if (!s.last || !before(m.at, s.last.at)) s.last = m;
  }
  const rows = threads.map((t) => {
    const s = stats.get(t.id)!;
    return {
      id: t.id,
      org_id: orgId,
      subject: s.first?.subject ?? t.subject,
      normalized_subject: t.normalizedSubject,
      snippet: s.last?.snippet ?? null,
      message_count: s.count,
      first_message_at: Number.isFinite(s.minAt) ? new Date(s.minAt).toISOString() : null,
      last_message_at: Number.isFinite(s.maxAt) ? new Date(s.maxAt).toISOString() : null,
    };
  });
  for (const chunk of chunkRows(rows, 1, (r) => 300 + (r.subject?.length ?? 0) + (r.snippet?.length ?? 0))) {
    await tx.execute(insertJsonRows("threads", threadColumns, chunk));
  }
}

// Undated messages sort last, as in the database (nulls last).
function before(a: Date | null, b: Date | null): boolean {
  if (!a) return false;
  if (!b) return true;
  return a < b;
}
