import { eq, sql } from "drizzle-orm";
import type { MailboxObject } from "imapflow";
import { mailboxes } from "@/db/schema";
import { queryRows } from "@/db/rows";
import { ImapError } from "@/lib/imap/imap-error";
import type { FolderStatus } from "@/lib/imap/list-folders";
import { withImapTimeout } from "@/lib/imap/with-imap-timeout";
import { createCommitQueue } from "./commit-queue";
import { selectedModseq } from "./fetch-messages";
import { advanceState } from "./store-batch";
import { type MailboxSnapshot, searchAll, syncChanges } from "./sync-changes";
import { type ChunkResult, syncChunk } from "./sync-chunk";
import type { MailboxRow, MailboxSyncResult, SyncContext } from "./types";
import { chunkUids } from "./uid-set";

/**
 * One incremental pass over one folder, in this order so recent mail shows up first:
 *  0. unchanged since last pass (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, count all equal) → nothing,
 *     not even a SELECT; a new UIDVALIDITY → the folder's locations are dropped and it is re-read
 *     (same bytes → same dedupe key → same message rows, so nothing is duplicated);
 *  1. new mail above lastUid, ascending;
 *  2. flag changes and expunges among the stored UIDs (see syncChanges);
 *  3. the newest-first backfill below backfillUid.
 * Each commit carries its own watermark, so the pass can stop (budget, abort, crash) anywhere.
 * `status` comes from LIST-STATUS; without it the folder is always selected.
 */
export async function syncMailbox(ctx: SyncContext, mailbox: MailboxRow, status: FolderStatus | null): Promise<MailboxSyncResult> {
  const result = emptyResult(mailbox);
  if (status && isUnchanged(mailbox, status)) {
    result.unchanged = true;
    return result;
  }
  if (stopped(ctx)) {
    result.more = true;
    return result;
  }
  const snapshot = await selectMailbox(ctx, mailbox.path);
  let row = mailbox;
  if (row.uidValidity !== snapshot.uidValidity) {
    result.uidValidityReset = row.uidValidity !== null;
    row = await resetMailbox(ctx, row, snapshot);
  }

  // 1. New mail.
  if (snapshot.uidNext > row.lastUid + 1) {
    const found = await searchUids(ctx, `${row.lastUid + 1}:*`);
    const fresh = found.filter((uid) => uid > row.lastUid);
    if (await fetchChunks(ctx, row, chunkUids(fresh, ctx.limits.fetchChunk), "up", result)) {
      // UIDs below the SELECT-time UIDNEXT that the search did not return were expunged for good.
      await ctx.db.transaction((tx) => advanceState(tx, row, { lastUid: snapshot.uidNext - 1 }));
    } else {
      result.more = true;
    }
    row = await reload(ctx, row.id);
  }

  // 2. Flags and expunges among what is stored.
  let serverUids: number[] | null = null;
  if (!stopped(ctx)) {
    if (row.backfillUid !== null) serverUids = await searchAll(ctx);
    const changes = await syncChanges(ctx, row, snapshot, serverUids);
    result.updated += changes.updated;
    result.deleted += changes.deleted;
    serverUids = changes.serverUids;
    row = await reload(ctx, row.id);
  } else {
    result.more = true;
  }

  // 3. Backfill, newest first. backfillUid moves once a whole chunk is stored, so a pass cut off
  // inside a chunk leaves committed batches below it: those are not fetched again (step 2 refreshed
  // their flags and dropped the expunged ones).
  if (row.backfillUid !== null && !result.more) {
    const stored = await storedUidsBelow(ctx, row.id, row.backfillUid);
    const below = (serverUids ?? (await searchUids(ctx, `1:${Math.max(1, row.backfillUid - 1)}`))).filter((uid) => uid < row.backfillUid! && !stored.has(uid));
    if (await fetchChunks(ctx, row, chunkUids(below, ctx.limits.fetchChunk, true), "down", result)) {
      await ctx.db.transaction((tx) => advanceState(tx, row, { backfillUid: null }));
    } else {
      result.more = true;
    }
  }

  await finishMailbox(ctx, row.id, !result.more);
  return result;
}

export function isUnchanged(row: MailboxRow, status: FolderStatus): boolean {
  return (
    row.uidValidity === status.uidValidity &&
    row.uidNext === status.uidNext &&
    row.serverCount === status.messages &&
    row.backfillUid === null &&
    row.highestModseq !== null &&
    row.highestModseq === status.highestModseq
  );
}

/** Runs the chunks in order within the budget; false when it stopped before the last one. */
async function fetchChunks(ctx: SyncContext, row: MailboxRow, chunks: number[][], direction: "up" | "down", result: MailboxSyncResult): Promise<boolean> {
  // One queue for all chunks: a chunk's last commits overlap the next chunk's fetch.
  const queue = createCommitQueue(ctx, row);
  let finished = true;
  try {
    for (const chunk of chunks) {
      const allowance = ctx.budget.remaining(ctx.signal);
      if (allowance === 0) {
        finished = false;
        break;
      }
      // Ascending: the oldest of the chunk first; newest-first: the newest of the chunk.
      const part = chunk.length <= allowance ? chunk : direction === "up" ? chunk.slice(0, allowance) : chunk.slice(-allowance);
      add(result, await syncChunk(ctx, row, part, direction, queue));
      if (part.length < chunk.length) {
        finished = false;
        break;
      }
    }
  } catch (error) {
    // Batches fetched before the failure still commit; the failure is what gets reported.
    await queue.settle();
    throw error;
  }
  add(result, { fetched: 0, bytes: 0, ...(await queue.drain()) });
  return finished;
}

async function selectMailbox(ctx: SyncContext, path: string): Promise<MailboxSnapshot> {
  let box: MailboxObject;
  try {
    // EXAMINE: read-only, so nothing this session does can change flags.
    box = await withImapTimeout(ctx.client, `EXAMINE ${path}`, () => ctx.client.mailboxOpen(path, { readOnly: true }));
  } catch (error) {
    const cause = (error as { cause?: { mailboxMissing?: boolean } }).cause;
    if (cause?.mailboxMissing) throw new MailboxGoneError(path);
    throw error;
  }
  let uidNext = box.uidNext;
  if (!uidNext) {
    // Some servers omit UIDNEXT; the highest UID + 1 serves the same purpose.
    const all = await searchAll(ctx);
    uidNext = (all.length ? Math.max(...all) : 0) + 1;
  }
  return { uidValidity: Number(box.uidValidity), uidNext, exists: box.exists, highestModseq: selectedModseq(ctx.client, box) };
}

/** The folder is new to us or its UIDVALIDITY changed: every UID below UIDNEXT is to be (re)read. */
async function resetMailbox(ctx: SyncContext, row: MailboxRow, snapshot: MailboxSnapshot): Promise<MailboxRow> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`delete from message_locations where mailbox_id = ${row.id}`);
    const [updated] = await tx
      .update(mailboxes)
      .set({
        uidValidity: snapshot.uidValidity,
        lastUid: snapshot.uidNext - 1,
        backfillUid: snapshot.uidNext > 1 ? snapshot.uidNext : null,
        highestModseq: snapshot.highestModseq,
        uidNext: null,
        serverCount: snapshot.exists,
        syncedCount: 0,
      })
      .where(eq(mailboxes.id, row.id))
      .returning();
    return updated!;
  });
}

async function finishMailbox(ctx: SyncContext, mailboxId: string, complete: boolean) {
  const box = ctx.client.mailbox || null;
  const count = await queryRows<{ n: number | string }>(ctx.db, sql`select count(*)::int as n from message_locations where mailbox_id = ${mailboxId}`);
  await ctx.db
    .update(mailboxes)
    .set({
      syncedCount: Number(count[0]?.n ?? 0),
      ...(box ? { serverCount: box.exists } : {}),
      // UIDNEXT is what makes the next pass a no-op: record it only when everything below it is stored.
      ...(complete && box ? { uidNext: box.uidNext, lastSyncAt: new Date() } : {}),
    })
    .where(eq(mailboxes.id, mailboxId));
}

async function searchUids(ctx: SyncContext, range: string): Promise<number[]> {
  const uids = await withImapTimeout(ctx.client, `UID SEARCH UID ${range}`, () => ctx.client.search({ uid: range }, { uid: true }));
  if (!Array.isArray(uids)) throw new ImapError("protocol", `UID SEARCH UID ${range} was refused`, { retryable: true });
  return uids;
}

async function storedUidsBelow(ctx: SyncContext, mailboxId: string, uid: number): Promise<Set<number>> {
  const rows = await queryRows<{ uid: number | string }>(ctx.db, sql`select uid from message_locations where mailbox_id = ${mailboxId} and uid < ${uid}`);
  return new Set(rows.map((r) => Number(r.uid)));
}

async function reload(ctx: SyncContext, id: string): Promise<MailboxRow> {
  const [row] = await ctx.db.select().from(mailboxes).where(eq(mailboxes.id, id));
  if (!row) throw new Error(`Mailbox ${id} disappeared during the sync`);
  return row;
}

function stopped(ctx: SyncContext): boolean {
  return ctx.budget.stopped(ctx.signal);
}

function add(result: MailboxSyncResult, chunk: Omit<ChunkResult, "complete">) {
  result.fetched += chunk.fetched;
  result.added += chunk.added;
  result.bytes += chunk.bytes;
  result.parseFailures += chunk.parseFailures;
}

function emptyResult(mailbox: MailboxRow): MailboxSyncResult {
  return { mailboxId: mailbox.id, path: mailbox.path, unchanged: false, uidValidityReset: false, fetched: 0, added: 0, updated: 0, deleted: 0, bytes: 0, parseFailures: 0, more: false };
}

/** SELECT said the folder does not exist (deleted between LIST and SELECT). */
export class MailboxGoneError extends Error {
  constructor(readonly path: string) {
    super(`Folder ${path} no longer exists`);
  }
}
