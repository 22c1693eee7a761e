import { and, count, desc, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailboxes, syncRuns } from "@/db/schema";

export type SyncRunRow = {
  id: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationSeconds: number | null;
  trigger: string;
  outcome: string;
  mailbox: string | null;
  added: number;
  updated: number;
  deleted: number;
  parseFailures: number;
  bytes: number;
  errorKind: string | null;
  error: string | null;
};

/** One account's sync history, newest first, a page at a time (looked up within its organisation). */
export async function listSyncRuns(db: Database, { orgId, accountId, limit = 50, offset = 0 }: { orgId: string; accountId: string; limit?: number; offset?: number }) {
  const where = and(eq(syncRuns.orgId, orgId), eq(syncRuns.accountId, accountId));
  const [rows, [total]] = await Promise.all([
    db
      .select({ run: syncRuns, mailbox: mailboxes.path })
      .from(syncRuns)
      .leftJoin(mailboxes, and(eq(mailboxes.id, syncRuns.mailboxId), eq(mailboxes.orgId, syncRuns.orgId)))
      .where(where)
      .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(syncRuns).where(where),
  ]);
  return {
    total: Number(total?.n ?? 0),
    runs: rows.map(({ run, mailbox }): SyncRunRow => ({
      id: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationSeconds: run.finishedAt && run.outcome !== "running" ? (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000 : null,
      trigger: run.trigger,
      outcome: run.outcome,
      mailbox,
      added: run.messagesAdded,
      updated: run.messagesUpdated,
      deleted: run.messagesDeleted,
      parseFailures: run.parseFailures,
      bytes: run.bytes,
      errorKind: run.errorKind,
      error: run.error,
    })),
  };
}
