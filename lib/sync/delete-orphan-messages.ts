import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { recountContactAccounts } from "@/lib/contacts/contact-accounts";
import { inList } from "@/lib/ingest/sql-lists";
import { refreshThreadStats } from "@/lib/threads/refresh-thread-stats";

/**
 * Removes the account's messages that no folder holds any more, and keeps what was derived from
 * them right: thread counts/dates (empty threads go) and contact message counts.
 *
 * Only call it after a pass that visited every folder to the end: a message moved from A to B
 * loses its location in A before B is read, and must still be there for B to find it by its
 * dedupe key (same row, same id).
 */
export async function deleteOrphanMessages(db: Database, account: { id: string; orgId: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const orphans = await queryRows<{ id: string; thread_id: string | null }>(
      tx,
      sql`select m.id, m.thread_id from messages m
        where m.account_id = ${account.id} and m.org_id = ${account.orgId}
          and not exists (select 1 from message_locations l where l.message_id = m.id)`,
    );
    if (!orphans.length) return 0;
    const ids = orphans.map((o) => o.id);
    const threadIds = [...new Set(orphans.map((o) => o.thread_id).filter((t): t is string => t !== null))];
    const contactIds: string[] = [];
    for (const chunk of chunks(ids)) {
      const rows = await queryRows<{ contact_id: string }>(
        tx,
        sql`select distinct contact_id from message_participants where org_id = ${account.orgId} and message_id in ${inList(chunk)} and contact_id is not null`,
      );
      contactIds.push(...rows.map((r) => r.contact_id));
      await tx.execute(sql`delete from messages where org_id = ${account.orgId} and id in ${inList(chunk)}`);
    }
    if (threadIds.length) {
      await refreshThreadStats(tx, account.orgId, threadIds);
      for (const chunk of chunks(threadIds)) {
        await tx.execute(sql`delete from threads t where t.org_id = ${account.orgId} and t.id in ${inList(chunk)}
          and not exists (select 1 from messages m where m.thread_id = t.id)`);
      }
    }
    await recountContacts(tx, account.orgId, [...new Set(contactIds)]);
    return ids.length;
  });
}

// Contacts stay (a person is still known after their mail is deleted); their figures follow the mail.
async function recountContacts(tx: Transaction, orgId: string, contactIds: string[]) {
  for (const chunk of chunks(contactIds)) {
    await tx.execute(sql`
      update contacts c set
        message_count = coalesce(s.message_count, 0),
        first_seen_at = s.first_at,
        last_seen_at = s.last_at
      from (select c2.id,
          (select count(distinct mp.message_id)::int from message_participants mp where mp.contact_id = c2.id) as message_count,
          (select min(coalesce(m.sent_at, m.received_at)) from message_participants mp join messages m on m.id = mp.message_id where mp.contact_id = c2.id) as first_at,
          (select max(coalesce(m.sent_at, m.received_at)) from message_participants mp join messages m on m.id = mp.message_id where mp.contact_id = c2.id) as last_at
        from contacts c2 where c2.org_id = ${orgId} and c2.id in ${inList(chunk)}) s
      where c.id = s.id and c.org_id = ${orgId}`);
    await recountContactAccounts(tx, orgId, chunk);
  }
}

function chunks<T>(items: T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
