import { type CommitResult, type PreparedBatch, type StateAdvance, commitBatch } from "./store-batch";
import type { MailboxRow, SyncContext } from "./types";

export type CommitQueue = {
  /**
   * Queues a batch whose preparation (lookup + parse) has started: it commits after every batch
   * queued before it, and never if one of them failed. Waits first while `maxPending` batches are
   * already queued (memory stays bounded), and throws a commit failure as soon as it is known.
   */
  push(preparing: Promise<PreparedBatch>, advance: StateAdvance): Promise<void>;
  /** Batches queued so far. */
  queued(): number;
  /** Waits for every queued commit; throws the first failure. */
  drain(): Promise<CommitResult>;
  /** Waits for every queued commit, ignoring failures (another error is being reported). */
  settle(): Promise<void>;
};

/**
 * Commits a folder's batches in order, one transaction at a time, while the caller goes on fetching
 * and parsing the next ones, across fetch chunks. At most `maxPending` batches wait or commit at once:
 * with 2, batch k commits while k+1 is parsed and k+2 fetched.
 */
export function createCommitQueue(ctx: SyncContext, mailbox: MailboxRow, maxPending = 2): CommitQueue {
  const totals: CommitResult = { added: 0, parseFailures: 0 };
  const pending: Promise<void>[] = [];
  let tail: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  let queued = 0;

  const throwIfFailed = () => {
    if (failure) throw failure.error;
  };

  return {
    async push(preparing, advance) {
      // A preparation that fails before its turn must not be reported as unhandled meanwhile.
      preparing.catch(() => {});
      while (pending.length >= maxPending) await Promise.race(pending);
      throwIfFailed();
      queued++;
      const done = tail.then(async () => {
        const prepared = await preparing;
        const result = await commitBatch(ctx, mailbox, prepared, advance);
        totals.added += result.added;
        totals.parseFailures += result.parseFailures;
        ctx.onProgress?.({ mailboxId: mailbox.id, path: mailbox.path, committed: prepared.messages.length, fetchedThisPass: ctx.budget.fetched });
      });
      tail = done;
      const tracked = done.then(
        () => {},
        (error: unknown) => {
          failure ??= { error };
        },
      );
      pending.push(tracked);
      void tracked.then(() => pending.splice(pending.indexOf(tracked), 1));
    },
    queued: () => queued,
    async drain() {
      await Promise.all(pending);
      await tail.catch(() => {});
      throwIfFailed();
      return { ...totals };
    },
    async settle() {
      await Promise.all(pending);
    },
  };
}
