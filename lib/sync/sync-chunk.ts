import { ImapError } from "@/lib/imap/imap-error";
import { withImapTimeout } from "@/lib/imap/with-imap-timeout";
import { type CommitQueue, createCommitQueue } from "./commit-queue";
import { type FetchedMessage, fetchMessages } from "./fetch-messages";
import { type StateAdvance, prepareBatch } from "./store-batch";
import type { MailboxRow, SyncContext } from "./types";
import { uidSet } from "./uid-set";

export type ChunkResult = { fetched: number; added: number; bytes: number; parseFailures: number; complete: boolean };

// The first batch of a pass is small so the first commit (and the database's work) starts early;
// each next batch doubles, up to limits.batchMessages.
const FIRST_BATCH = 50;

/**
 * Fetches one chunk of UIDs and stores it in batches, committing batch k while batch k+1 is parsed
 * and batch k+2 fetched (see createCommitQueue). `up` (new mail, ascending): every commit moves
 * lastUid to the highest UID below which every requested UID is stored. `down` (newest-first
 * backfill): backfillUid moves to the chunk's lowest UID once the whole chunk is stored. UIDs the
 * server did not return are checked: expunged ones are skipped, ones still there are fetched again,
 * then it is an error.
 *
 * With `queue` (shared by the chunks of one folder) the chunk's last commits may still be running
 * when this returns, overlapping the next chunk's fetch: the caller drains the queue, and the
 * result's `added` and `parseFailures` are then counted there, not here.
 */
export async function syncChunk(ctx: SyncContext, mailbox: MailboxRow, uids: number[], direction: "up" | "down", queue?: CommitQueue): Promise<ChunkResult> {
  const requested = [...uids].sort((a, b) => a - b);
  const result: ChunkResult = { fetched: 0, added: 0, bytes: 0, parseFailures: 0, complete: false };
  const commits = queue ?? createCommitQueue(ctx, mailbox);
  const delivered = new Set<number>();
  let prefix = 0; // requested[0..prefix) are all delivered
  let batch: FetchedMessage[] = [];
  let batchBytes = 0;

  const flush = async (advance: StateAdvance) => {
    const messages = batch;
    batch = [];
    batchBytes = 0;
    // Preparation (lookup + parse, in worker threads when available) starts now; the queue waits for room.
    await commits.push(prepareBatch(ctx, messages), advance);
  };
  const contiguousAdvance = (): StateAdvance => {
    while (prefix < requested.length && delivered.has(requested[prefix]!)) prefix++;
    return direction === "up" && prefix > 0 ? { lastUid: requested[prefix - 1]! } : {};
  };

  const receive = async (message: FetchedMessage) => {
    delivered.add(message.uid);
    batch.push(message);
    batchBytes += message.source.length;
    result.fetched++;
    result.bytes += message.source.length;
    ctx.budget.fetched++;
    const size = Math.min(ctx.limits.batchMessages, FIRST_BATCH * 2 ** Math.min(commits.queued(), 20));
    if (batch.length >= size || batchBytes >= ctx.limits.batchBytes) await flush(contiguousAdvance());
  };

  try {
    await fetchMessages(ctx, requested, receive);
    let missing = requested.filter((uid) => !delivered.has(uid));
    if (missing.length) {
      const present = await stillPresent(ctx, missing);
      if (present.length) {
        await fetchMessages(ctx, present, receive);
        const lost = present.filter((uid) => !delivered.has(uid));
        if (lost.length) {
          throw new ImapError("protocol", `${mailbox.path}: the server did not return the bodies of UIDs ${uidSet(lost).slice(0, 200)}`, { retryable: true });
        }
      }
      missing = [];
    }
    await flush(direction === "up" ? { lastUid: requested[requested.length - 1]! } : { backfillUid: requested[0]! });
    if (!queue) Object.assign(result, await commits.drain());
    result.complete = true;
    return result;
  } catch (error) {
    // Messages that arrived whole before the failure are stored too: a server that drops every
    // session before a batch fills would otherwise never let the account get further. Their commit
    // may fail as well (the database may be what failed); the first failure is the one reported.
    if (batch.length) await flush(contiguousAdvance()).catch(() => {});
    // Whatever committed before the failure stays committed; report the failure, not a later one.
    if (!queue) await commits.settle();
    throw error;
  }
}

async function stillPresent(ctx: SyncContext, uids: number[]): Promise<number[]> {
  const found = await withImapTimeout(ctx.client, "UID SEARCH", () => ctx.client.search({ uid: uidSet(uids) }, { uid: true }));
  if (!Array.isArray(found)) throw new ImapError("protocol", "UID SEARCH was refused", { retryable: true });
  const asked = new Set(uids);
  return found.filter((uid) => asked.has(uid));
}
