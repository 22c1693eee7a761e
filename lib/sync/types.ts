import type { Database } from "@/db/connect";
import type { mailboxes } from "@/db/schema";
import type { ImapConnection } from "@/lib/imap/connect-imap";
import type { ImapErrorKind } from "@/lib/imap/imap-error";
import type { MailAccountRow } from "@/lib/imap/open-account-connection";

export type MailboxRow = typeof mailboxes.$inferSelect;
export type { MailAccountRow };

export type SyncLimits = {
  // Message bodies fetched per pass (all folders); the pass returns `more: true` when it stops early.
  maxMessages?: number;
  // No new FETCH is started after this many ms; the batch in flight is still committed.
  maxDurationMs?: number;
  // A commit (one transaction) holds at most this many messages / raw bytes.
  batchMessages?: number;
  batchBytes?: number;
  // UIDs per FETCH command (bounded so an early stop does not leave a long response to drain).
  fetchChunk?: number;
  // Bigger messages are fetched up to this many bytes, parsed from that prefix and flagged.
  maxMessageBytes?: number;
};

export const DEFAULT_LIMITS: Required<SyncLimits> = {
  maxMessages: Number.POSITIVE_INFINITY,
  maxDurationMs: Number.POSITIVE_INFINITY,
  batchMessages: 500,
  batchBytes: 24 * 1024 * 1024,
  fetchChunk: 2000,
  maxMessageBytes: 32 * 1024 * 1024,
};

export type MailboxSyncResult = {
  mailboxId: string;
  path: string;
  // Nothing changed since the last pass (decided from LIST-STATUS/STATUS): not even selected.
  unchanged: boolean;
  uidValidityReset: boolean;
  // Bodies fetched, message rows created, locations whose flags/labels changed, locations removed.
  fetched: number;
  added: number;
  updated: number;
  deleted: number;
  bytes: number;
  parseFailures: number;
  // Work left in this folder (a budget ran out); the next pass continues where this one stopped.
  more: boolean;
  // Listed, then gone by the time it was selected: its row (and locations) were removed.
  folderGone?: boolean;
  error?: { kind: ImapErrorKind | "internal"; message: string };
};

export type SyncOutcome = "success" | "partial" | "failed";

export type SyncSummary = {
  accountId: string;
  runId: string;
  outcome: SyncOutcome;
  // More work remains (limits reached, or a folder failed): run another pass soon.
  more: boolean;
  fetched: number;
  added: number;
  updated: number;
  deleted: number;
  orphansRemoved: number;
  parseFailures: number;
  bytes: number;
  durationMs: number;
  mailboxes: MailboxSyncResult[];
  foldersCreated: number;
  foldersRenamed: number;
  foldersDeleted: number;
  error?: { kind: ImapErrorKind | "internal"; message: string; retryable: boolean; retryAfterMs: number | null };
};

/** What one pass shares between folders: the connection, the account, and the budget left. */
export type SyncContext = {
  db: Database;
  client: ImapConnection;
  account: MailAccountRow;
  ownAddresses: string[];
  gmail: boolean;
  limits: Required<SyncLimits>;
  budget: Budget;
  signal?: AbortSignal;
  onProgress?: (event: SyncProgress) => void;
};

/** After every committed batch: enough for a progress bar ("synced / server" per folder). */
export type SyncProgress = { mailboxId: string; path: string; committed: number; fetchedThisPass: number };

export class Budget {
  fetched = 0;
  private readonly deadline: number;

  constructor(private readonly limits: Required<SyncLimits>, started = Date.now()) {
    this.deadline = started + limits.maxDurationMs;
  }

  /** How many more bodies may be fetched now (0: stop fetching). */
  remaining(signal?: AbortSignal): number {
    if (this.stopped(signal)) return 0;
    return Math.max(0, this.limits.maxMessages - this.fetched);
  }

  /** Out of time or cancelled: start nothing new, not even cheap flag updates. */
  stopped(signal?: AbortSignal): boolean {
    return Boolean(signal?.aborted) || Date.now() >= this.deadline;
  }
}
