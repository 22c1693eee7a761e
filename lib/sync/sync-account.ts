import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, mailboxes } from "@/db/schema";
import { closeImap, type ImapConnection } from "@/lib/imap/connect-imap";
import { ImapError, classifyImapError } from "@/lib/imap/imap-error";
import { listFolders } from "@/lib/imap/list-folders";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { deleteOrphanMessages } from "./delete-orphan-messages";
import { finishSyncRun, startSyncRun } from "./record-sync-run";
import { reconcileMailboxes } from "./reconcile-mailboxes";
import { MailboxGoneError, syncMailbox } from "./sync-mailbox";
import { Budget, DEFAULT_LIMITS, type MailAccountRow, type MailboxSyncResult, type SyncContext, type SyncLimits, type SyncSummary } from "./types";

export type SyncAccountOptions = {
  db: Database;
  account: MailAccountRow | string;
  // How to reach the server; defaults to the stored credentials (openAccountConnection).
  connect?: (account: MailAccountRow) => Promise<ImapConnection>;
  signal?: AbortSignal;
  limits?: SyncLimits;
  // Recorded in sync_runs.trigger ("manual", "schedule", "idle", ...).
  trigger?: string;
  onProgress?: SyncContext["onProgress"];
};

/**
 * One pass over an account: folder list, then every folder (Inbox and Sent first), then removal
 * of messages no folder holds any more. Never throws for IMAP trouble: the outcome, counts and the
 * classified error are in the summary, in a sync_runs row, and in the account's status.
 * With `limits` the pass stops early and says `more: true`; call it again to continue.
 */
export async function syncAccount(options: SyncAccountOptions): Promise<SyncSummary> {
  const { db } = options;
  const account = typeof options.account === "string" ? await loadAccount(db, options.account) : options.account;
  const started = Date.now();
  const limits = { ...DEFAULT_LIMITS, ...definedOnly(options.limits ?? {}) };
  const summary: SyncSummary = {
    accountId: account.id,
    runId: await startSyncRun(db, account, options.trigger ?? "manual"),
    outcome: "success",
    more: false,
    fetched: 0,
    added: 0,
    updated: 0,
    deleted: 0,
    orphansRemoved: 0,
    parseFailures: 0,
    bytes: 0,
    durationMs: 0,
    mailboxes: [],
    foldersCreated: 0,
    foldersRenamed: 0,
    foldersDeleted: 0,
  };

  let client: ImapConnection | null = null;
  try {
    client = await (options.connect ?? ((a) => openAccountConnection(a)))(account);
    const ctx: SyncContext = {
      db,
      client,
      account,
      ownAddresses: [account.emailAddress.toLowerCase()],
      gmail: client.capabilities.has("X-GM-EXT-1"),
      limits,
      budget: new Budget(limits, started),
      signal: options.signal,
      onProgress: options.onProgress,
    };
    const plan = await reconcileMailboxes(ctx, await listFolders(client));
    summary.foldersCreated = plan.created;
    summary.foldersRenamed = plan.renamed;
    summary.foldersDeleted = plan.deleted;

    let complete = true;
    let removedSomething = plan.deleted > 0;
    for (const { row, remote } of plan.folders) {
      const result = await syncOneFolder(ctx, row, remote.status);
      summary.mailboxes.push(result);
      accumulate(summary, result);
      if (result.more || result.error) complete = false;
      if (result.deleted || result.uidValidityReset || result.folderGone) removedSomething = true;
      if (result.error && !summary.error) summary.error = { kind: result.error.kind, message: `${result.path}: ${result.error.message}`, retryable: true, retryAfterMs: null };
    }
    // Orphans can only exist after a location was dropped, in this pass or an unfinished earlier one
    // (whose folders are then not "unchanged" now).
    const worked = removedSomething || summary.mailboxes.some((m) => !m.unchanged);
    if (complete && worked) summary.orphansRemoved = await deleteOrphanMessages(db, account);
    summary.more = !complete;
    summary.outcome = summary.error ? "partial" : complete ? "success" : "partial";
  } catch (error) {
    const failure = error instanceof ImapError || isImapFlowError(error) ? classifyImapError(error) : null;
    summary.error = failure
      ? { kind: failure.kind, message: failure.message, retryable: failure.retryable, retryAfterMs: failure.retryAfterMs }
      : { kind: "internal", message: internalMessage(error), retryable: true, retryAfterMs: null };
    summary.more = true;
    summary.outcome = summary.fetched > 0 || summary.updated > 0 ? "partial" : "failed";
  } finally {
    await closeImap(client);
    summary.durationMs = Date.now() - started;
  }
  await finishSyncRun(db, account, summary);
  return summary;
}

/** Per-folder failures stay in that folder unless the connection itself is gone. */
async function syncOneFolder(ctx: SyncContext, row: typeof mailboxes.$inferSelect, status: Parameters<typeof syncMailbox>[2]): Promise<MailboxSyncResult> {
  try {
    return await syncMailbox(ctx, row, status);
  } catch (error) {
    if (error instanceof MailboxGoneError) {
      await ctx.db.delete(mailboxes).where(and(eq(mailboxes.id, row.id), eq(mailboxes.accountId, ctx.account.id)));
      return { ...blank(row), folderGone: true };
    }
    const failure = classifyImapError(error);
    // A dead or timed-out connection fails the whole pass; a folder the server refuses does not.
    if (failure.kind !== "protocol" || !ctx.client.usable || !(error instanceof ImapError || isImapFlowError(error))) throw error;
    return { ...blank(row), more: true, error: { kind: failure.kind, message: failure.message } };
  }
}

function accumulate(summary: SyncSummary, result: MailboxSyncResult) {
  summary.fetched += result.fetched;
  summary.added += result.added;
  summary.updated += result.updated;
  summary.deleted += result.deleted;
  summary.bytes += result.bytes;
  summary.parseFailures += result.parseFailures;
}

function blank(row: typeof mailboxes.$inferSelect): MailboxSyncResult {
  return { mailboxId: row.id, path: row.path, unchanged: false, uidValidityReset: false, fetched: 0, added: 0, updated: 0, deleted: 0, bytes: 0, parseFailures: 0, more: false };
}

async function loadAccount(db: Database, id: string): Promise<MailAccountRow> {
  const [row] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  if (!row) throw new Error(`No mail account ${id}`);
  return row;
}

/**
 * A database failure reads "Failed query: <sql> params: <values>" with the reason only in `cause`
 * ("Connection terminated", "the database system is shutting down"): say the reason first, keep
 * the statement's first line, and never the parameters (message contents, keys).
 */
function internalMessage(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const cause = (error as { cause?: { message?: unknown; code?: unknown } })?.cause;
  const code = typeof cause?.code === "string" ? cause.code : "";
  // Refused connections come as an AggregateError with an empty message and only a code.
  const reason = typeof cause?.message === "string" && cause.message ? `${cause.message}${code ? ` (${code})` : ""}` : code;
  return reason && !message.includes(reason) ? `${reason}; ${message.split("\n")[0]!.slice(0, 300)}` : message;
}

function isImapFlowError(error: unknown): boolean {
  const e = error as { code?: unknown; responseStatus?: unknown; authenticationFailed?: unknown } | null;
  return Boolean(e && (typeof e.code === "string" || typeof e.responseStatus === "string" || e.authenticationFailed));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
