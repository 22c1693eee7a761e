import { sql } from "drizzle-orm";
import type { ExpungeEvent } from "imapflow";
import type { Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { ImapError } from "@/lib/imap/imap-error";
import { fetchWithTimeout, withImapTimeout } from "@/lib/imap/with-imap-timeout";
import { normalizeFlags, normalizeLabels, safeModseq } from "./fetch-messages";
import type { MailboxRow, SyncContext } from "./types";

export type MailboxSnapshot = {
  uidValidity: number;
  uidNext: number;
  exists: number;
  // HIGHESTMODSEQ at SELECT time, null without CONDSTORE (or NOMODSEQ).
  highestModseq: number | null;
};

export type ChangesResult = { updated: number; deleted: number };

type FlagUpdate = { uid: number; flags: string[]; labels: string[] | null; modseq: number | null };

/**
 * Brings the stored flags/labels of the folder's committed UIDs up to date and drops the locations
 * of expunged messages, then records the SELECT-time HIGHESTMODSEQ, all in one transaction.
 * - CONDSTORE: `UID FETCH lo:hi (FLAGS) (CHANGEDSINCE m [VANISHED])`, only when HIGHESTMODSEQ moved;
 *   QRESYNC's VANISHED (EARLIER) lists the expunged UIDs.
 * - Then, unless every committed UID is accounted for by the message count, `UID SEARCH ALL`
 *   against the stored UIDs (servers without QRESYNC; also a safety net with it).
 * - No CONDSTORE: every committed UID's flags are read again, which also gives the deletions.
 * `serverUids` (a UID SEARCH ALL already made this pass) is reused when given.
 * A flood of flag changes (a whole folder marked read) is applied in slices as it streams in, so
 * memory stays flat; only the last transaction records HIGHESTMODSEQ, so a crash just redoes it.
 */
export async function syncChanges(ctx: SyncContext, mailbox: MailboxRow, snapshot: MailboxSnapshot, serverUids: number[] | null): Promise<ChangesResult & { serverUids: number[] | null }> {
  // With a backfill pending, stored UIDs start at backfillUid, except for batches a cut-off pass
  // committed inside its last chunk: they are covered too (the backfill does not fetch them again).
  const lo = mailbox.backfillUid === null ? 1 : Math.min(mailbox.backfillUid, (await lowestStoredUid(ctx, mailbox.id)) ?? mailbox.backfillUid);
  const hi = mailbox.lastUid;
  let updates: FlagUpdate[] = [];
  let updated = 0;
  const vanished = new Set<number>();
  let allUids = serverUids;
  // Flags are the server's current state, so applying a slice early is never wrong.
  const onUpdate = async (update: FlagUpdate) => {
    updates.push(update);
    if (updates.length < ctx.limits.batchMessages * 10) return;
    const slice = updates;
    updates = [];
    updated += await ctx.db.transaction((tx) => applyFlagUpdates(tx, mailbox.id, slice));
  };

  if (hi >= lo) {
    // The server's UIDs in [lo, hi], when known: every stored UID missing from it was expunged.
    let present: Set<number> | null = allUids ? new Set(allUids) : null;
    const modseqUsable = snapshot.highestModseq !== null && mailbox.highestModseq !== null;
    if (modseqUsable) {
      if (snapshot.highestModseq !== mailbox.highestModseq) {
        await readFlags(ctx, `${lo}:${hi}`, mailbox.highestModseq!, onUpdate, vanished);
      }
    } else {
      const seen = new Set<number>();
      await readFlags(ctx, `${lo}:${hi}`, null, onUpdate, vanished, seen);
      present = seen;
    }
    if (!present) {
      let accounted = await storedCount(ctx, mailbox.id);
      if (vanished.size) accounted -= (await storedUids(ctx, mailbox.id)).filter((uid) => vanished.has(uid)).length;
      // Every stored UID is in [lo, hi]; the server's count covers the whole folder, so the check only
      // works when nothing outside the region exists (no backfill pending, no new mail left behind).
      const live = ctx.client.mailbox || null;
      const regionIsWholeFolder = mailbox.backfillUid === null && live !== null && live.uidNext <= hi + 1;
      if (!(regionIsWholeFolder && accounted === live.exists)) {
        allUids = await searchAll(ctx);
        present = new Set(allUids);
      }
    }
    if (present) {
      for (const uid of await storedUids(ctx, mailbox.id)) if (uid >= lo && uid <= hi && !present.has(uid)) vanished.add(uid);
    }
  }

  const result = await ctx.db.transaction(async (tx) => {
    const last = await applyFlagUpdates(tx, mailbox.id, updates);
    const deleted = await deleteLocations(tx, mailbox.id, [...vanished].filter((uid) => uid >= lo && uid <= hi));
    await tx.execute(sql`update mailboxes set highest_modseq = ${snapshot.highestModseq} where id = ${mailbox.id} and uid_validity = ${mailbox.uidValidity}`);
    return { updated: updated + last, deleted };
  });
  return { ...result, serverUids: allUids };
}

async function readFlags(
  ctx: SyncContext,
  range: string,
  changedSince: number | null,
  onUpdate: (update: FlagUpdate) => Promise<void>,
  vanished: Set<number>,
  seen?: Set<number>,
) {
  const onExpunge = (event: ExpungeEvent) => {
    if (event.vanished && event.uid) vanished.add(event.uid);
  };
  ctx.client.on("expunge", onExpunge);
  try {
    const options = changedSince === null ? { uid: true } : { uid: true, changedSince: BigInt(changedSince) };
    const query = { uid: true, flags: true, ...(ctx.gmail ? { labels: true } : {}) };
    for await (const message of fetchWithTimeout(ctx.client, range, query, options)) {
      if (!message.uid || !message.flags) continue;
      seen?.add(message.uid);
      await onUpdate({ uid: message.uid, flags: normalizeFlags(message.flags), labels: normalizeLabels(message.labels), modseq: safeModseq(message.modseq) });
    }
  } finally {
    ctx.client.off("expunge", onExpunge);
  }
}

export async function searchAll(ctx: SyncContext): Promise<number[]> {
  const uids = await withImapTimeout(ctx.client, "UID SEARCH ALL", () => ctx.client.search({ all: true }, { uid: true }));
  if (!Array.isArray(uids)) throw new ImapError("protocol", "UID SEARCH ALL was refused", { retryable: true });
  return uids;
}

async function applyFlagUpdates(tx: Transaction, mailboxId: string, updates: FlagUpdate[]): Promise<number> {
  let updated = 0;
  for (let i = 0; i < updates.length; i += 10_000) {
    const rows = updates.slice(i, i + 10_000);
    const changed = await queryRows<{ uid: number }>(
      tx,
      sql`update message_locations l set flags = x.flags, labels = coalesce(x.labels, l.labels), modseq = coalesce(x.modseq, l.modseq)
        from json_to_recordset(${JSON.stringify(rows)}::json) as x(uid bigint, flags text[], labels text[], modseq bigint)
        where l.mailbox_id = ${mailboxId} and l.uid = x.uid
          and (l.flags is distinct from x.flags or (x.labels is not null and l.labels is distinct from x.labels))
        returning l.uid`,
    );
    updated += changed.length;
  }
  return updated;
}

async function deleteLocations(tx: Transaction, mailboxId: string, uids: number[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < uids.length; i += 10_000) {
    const rows = await queryRows<{ uid: number }>(
      tx,
      sql`delete from message_locations where mailbox_id = ${mailboxId}
        and uid in (select value::bigint from json_array_elements_text(${JSON.stringify(uids.slice(i, i + 10_000))}::json)) returning uid`,
    );
    deleted += rows.length;
  }
  return deleted;
}

async function storedCount(ctx: SyncContext, mailboxId: string): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(ctx.db, sql`select count(*)::int as n from message_locations where mailbox_id = ${mailboxId}`);
  return Number(rows[0]?.n ?? 0);
}

async function lowestStoredUid(ctx: SyncContext, mailboxId: string): Promise<number | null> {
  const rows = await queryRows<{ uid: number | string | null }>(ctx.db, sql`select min(uid) as uid from message_locations where mailbox_id = ${mailboxId}`);
  return rows[0]?.uid === null || rows[0]?.uid === undefined ? null : Number(rows[0].uid);
}

async function storedUids(ctx: SyncContext, mailboxId: string): Promise<number[]> {
  const rows = await queryRows<{ uid: number | string }>(ctx.db, sql`select uid from message_locations where mailbox_id = ${mailboxId}`);
  return rows.map((r) => Number(r.uid));
}
