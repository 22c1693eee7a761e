import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { chunkRows, inList, insertJsonRows, type JsonColumn } from "@/lib/ingest/sql-lists";

export type ContactAccountFigures = { contactId: string; count: number; first: Date | null; last: Date | null };

/**
 * Adds a batch of one mailbox's new mail to its contacts' figures for that mailbox (ingest, in the
 * batch's transaction, with the contacts' own figures): counts add up, first and last widen.
 */
export async function addContactAccountFigures(tx: Transaction, orgId: string, accountId: string, figures: ContactAccountFigures[]): Promise<void> {
  const rows = figures.map((f) => ({
    contact_id: f.contactId,
    account_id: accountId,
    org_id: orgId,
    message_count: f.count,
    first_at: f.first?.toISOString() ?? null,
    last_at: f.last?.toISOString() ?? null,
  }));
  for (const chunk of chunkRows(rows, columns.length)) {
    await tx.execute(
      insertJsonRows(
        "contact_accounts",
        columns,
        chunk,
        sql`on conflict (contact_id, account_id) do update set
          message_count = t.message_count + excluded.message_count,
          first_at = least(t.first_at, excluded.first_at),
          last_at = greatest(t.last_at, excluded.last_at)`,
      ),
    );
  }
}

/**
 * Counts these contacts' figures per mailbox again from their mail: after mail is removed, or
 * earlier mail is linked to them. Participants carry their message's account and date.
 */
export async function recountContactAccounts(db: Database | Transaction, orgId: string, contactIds: readonly string[]): Promise<void> {
  for (let i = 0; i < contactIds.length; i += 5000) {
    const chunk = contactIds.slice(i, i + 5000);
    await db.execute(sql`delete from contact_accounts where org_id = ${orgId} and contact_id in ${inList(chunk)}`);
    await db.execute(sql`
      insert into contact_accounts (contact_id, account_id, org_id, message_count, first_at, last_at)
      select mp.contact_id, mp.account_id, ${orgId}, count(distinct mp.message_id)::int, min(mp.message_at), max(mp.message_at)
      from message_participants mp
      where mp.org_id = ${orgId} and mp.contact_id in ${inList(chunk)} and mp.account_id is not null
      group by mp.contact_id, mp.account_id`);
  }
}

const columns: readonly JsonColumn[] = [
  ["contact_id", "uuid"],
  ["account_id", "uuid"],
  ["org_id", "uuid"],
  ["message_count", "integer"],
  ["first_at", "timestamptz"],
  ["last_at", "timestamptz"],
];
