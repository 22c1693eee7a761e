import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import { insertJsonRows, inList } from "@/lib/ingest/sql-lists";
import type { IncomingMessage } from "@/lib/ingest/types";
import { attachmentsFromStructure, completeAttachments } from "@/lib/mime/attachments-from-structure";
import { parseInWorkers } from "@/lib/mime/parse-in-workers";
import type { FetchedMessage } from "./fetch-messages";
import type { MailboxRow, SyncContext } from "./types";

export type PreparedBatch = {
  messages: { fetched: FetchedMessage; key: string }[];
  // Parsed only for keys not yet stored: a moved or re-numbered message is never parsed twice.
  incoming: IncomingMessage[];
  existing: Map<string, string>;
  bytes: number;
  parseFailures: number;
};

// How far a committed batch moves the folder's watermarks (see mailboxes.lastUid / backfillUid).
export type StateAdvance = { lastUid?: number; backfillUid?: number | null };

export type CommitResult = { added: number; parseFailures: number };

/** The dedupe key: X-GM-MSGID on Gmail, else the SHA-256 of the raw bytes (a MOVE keeps the bytes). */
export function dedupeKeyOf(message: FetchedMessage): string {
  if (message.gmMsgId) return `gm:${message.gmMsgId}`;
  const hash = createHash("sha256").update(message.source).digest("hex");
  // A truncated prefix is not the whole message: its key says so, so a later full fetch never collides.
  return message.truncated ? `sha256-prefix:${message.size}:${hash}` : `sha256:${hash}`;
}

export async function prepareBatch(ctx: SyncContext, fetched: FetchedMessage[]): Promise<PreparedBatch> {
  const messages = fetched.map((m) => ({ fetched: m, key: dedupeKeyOf(m) }));
  const existing = await findStored(ctx.db, ctx.account.id, [...new Set(messages.map((m) => m.key))]);
  const queued = new Map<string, FetchedMessage>();
  for (const { fetched: m, key } of messages) if (!existing.has(key) && !queued.has(key)) queued.set(key, m);
  // All at once: the pool spreads them over its threads (or parses them one by one in this thread).
  const parsedAll = await Promise.all([...queued.values()].map((m) => parseInWorkers(m.source)));
  const incoming: IncomingMessage[] = [];
  let parseFailures = 0;
  for (const [i, [key, m]] of [...queued].entries()) {
    const parsed = parsedAll[i]!;
    if (m.truncated) {
      const note = `message is ${m.size} bytes, above the ${ctx.limits.maxMessageBytes}-byte fetch limit: only the beginning was fetched (${m.source.length} bytes kept)`;
      parsed.parseError = parsed.parseError ? `${note}; ${parsed.parseError}` : note;
      if (m.structure) parsed.attachments = completeAttachments(parsed.attachments, attachmentsFromStructure(m.structure));
    }
    if (parsed.parseError) parseFailures++;
    incoming.push({
      dedupeKey: key,
      parsed,
      rawSource: parsed.parseError ? m.source : null,
      size: m.size,
      receivedAt: m.internalDate,
      gmMsgId: m.gmMsgId,
      gmThreadId: m.gmThreadId,
    });
  }
  const bytes = fetched.reduce((sum, m) => sum + m.source.length, 0);
  return { messages, incoming, existing, bytes, parseFailures };
}

/**
 * One transaction: the messages, their locations in this folder, and the watermark that says they
 * are there. A crash before COMMIT leaves no trace and the batch is fetched again; after it, the
 * watermark never claims anything that is not stored.
 */
export async function commitBatch(ctx: SyncContext, mailbox: MailboxRow, batch: PreparedBatch, advance: StateAdvance): Promise<CommitResult> {
  return ctx.db.transaction(async (tx) => {
    let added = 0;
    const ids = new Map(batch.existing);
    if (batch.incoming.length) {
      const stored = await ingestMessages(tx, { id: ctx.account.id, orgId: ctx.account.orgId, ownAddresses: ctx.ownAddresses }, batch.incoming);
      for (const [key, id] of stored) {
        if (!ids.has(key)) added++;
        ids.set(key, id);
      }
    }
    if (batch.messages.length) {
      const rows = batch.messages.map(({ fetched: m, key }) => {
        const messageId = ids.get(key);
        if (!messageId) throw new Error(`ingestMessages returned no id for ${key}`);
        return { mailbox_id: mailbox.id, uid: m.uid, message_id: messageId, org_id: ctx.account.orgId, account_id: ctx.account.id, flags: m.flags, labels: m.labels, modseq: m.modseq };
      });
      await tx.execute(
        insertJsonRows("message_locations", locationColumns, rows, sql`on conflict (mailbox_id, uid) do update set
          message_id = excluded.message_id, flags = excluded.flags, labels = excluded.labels, modseq = excluded.modseq`),
      );
    }
    await advanceState(tx, mailbox, advance);
    return { added, parseFailures: batch.parseFailures };
  });
}

/** Moves the watermarks monotonically, and only if the folder was not reset meanwhile. */
export async function advanceState(tx: Transaction, mailbox: MailboxRow, advance: StateAdvance): Promise<void> {
  if (advance.lastUid === undefined && advance.backfillUid === undefined) return;
  const sets = [];
  if (advance.lastUid !== undefined) sets.push(sql`last_uid = greatest(last_uid, ${advance.lastUid})`);
  if (advance.backfillUid !== undefined) {
    sets.push(advance.backfillUid === null ? sql`backfill_uid = null` : sql`backfill_uid = least(backfill_uid, ${advance.backfillUid})`);
  }
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update mailboxes set ${sql.join(sets, sql`, `)} where id = ${mailbox.id} and uid_validity = ${mailbox.uidValidity} returning id`,
  );
  if (!rows.length) throw new Error(`Mailbox ${mailbox.path} was reset or removed by another sync while this one ran`);
}

const locationColumns = [
  ["mailbox_id", "uuid"],
  ["uid", "bigint"],
  ["message_id", "uuid"],
  ["org_id", "uuid"],
  ["account_id", "uuid"],
  ["flags", "text[]"],
  ["labels", "text[]"],
  ["modseq", "bigint"],
] as const;

async function findStored(db: Database, accountId: string, keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const rows = await queryRows<{ id: string; dedupe_key: string }>(
      db,
      sql`select id, dedupe_key from messages where account_id = ${accountId} and dedupe_key in ${inList(keys.slice(i, i + 5000))}`,
    );
    for (const row of rows) found.set(row.dedupe_key, row.id);
  }
  return found;
}
