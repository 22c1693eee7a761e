import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";

/**
 * dedupeKey → message id for the keys the account already stores. The keys travel as one JSON
 * parameter: the statement's text is the same for every batch, so the driver prepares it once
 * instead of describing a new one (an extra round trip) for each batch size.
 */
export async function findStoredMessages(db: Database | Transaction, accountId: string, keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!keys.length) return found;
  const rows = await queryRows<{ id: string; dedupe_key: string }>(
    db,
    sql`select id, dedupe_key from messages
      where account_id = ${accountId} and dedupe_key = any(array(select json_array_elements_text(${JSON.stringify(keys)}::json)))`,
  );
  for (const row of rows) found.set(row.dedupe_key, row.id);
  return found;
}
