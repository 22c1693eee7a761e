import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import { type AccountJobState, getAccountJobStates } from "@/lib/jobs/get-account-job-states";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { type AccountProblem, explainAccountProblem } from "./explain-account-problem";
import { listMailAccounts, type MailAccountSummary } from "./list-mail-accounts";

export type FolderProgress = {
  id: string;
  path: string;
  name: string;
  specialUse: string | null;
  // Messages on the server at the last look (0 until the folder is first opened).
  total: number;
  // Messages stored; counted live while the folder's initial sync (or resync) runs.
  synced: number;
  // queued: not opened yet; syncing: initial sync or resync under way; done: everything stored.
  state: "queued" | "syncing" | "done";
  lastSyncAt: string | null;
};

export type AccountOverview = MailAccountSummary & {
  job: {
    state: AccountJobState["state"];
    runningSince: string | null;
    retryAt: string | null;
    nextRunAt: string | null;
    // Due already (the scheduler takes it within its next tick).
    nextRunDue: boolean;
    lastRun: { startedAt: string; finishedAt: string | null; outcome: string; added: number; updated: number; deleted: number } | null;
    watching: boolean;
  };
  folderProgress: FolderProgress[];
  progress: { synced: number; total: number; foldersDone: number; foldersTotal: number; syncing: boolean };
  problem: AccountProblem | null;
};

export type AccountsOverview = { accounts: AccountOverview[]; at: string };

/**
 * Everything the accounts screen shows, polled while syncs run: each mailbox with its status, job
 * state (running, next and last run), last error explained, and per-folder progress. Counts for
 * folders still syncing are read live from their stored locations (the folder row's count is only
 * written at the end of a pass); finished folders use the recorded count.
 */
export async function getAccountsOverview(db: Database, ctx: Pick<OrgContext, "orgId" | "user" | "role">): Promise<AccountsOverview> {
  const accounts = await listMailAccounts(db, ctx);
  if (accounts.length === 0) return { accounts: [], at: new Date().toISOString() };
  const [folders, jobs] = await Promise.all([readFolders(db, ctx.orgId), getAccountJobStates(db, { orgId: ctx.orgId })]);
  const jobOf = new Map(jobs.map((j) => [j.accountId, j]));

  return {
    at: new Date().toISOString(),
    accounts: accounts.map((account): AccountOverview => {
      const job = jobOf.get(account.id);
      const own = folders.get(account.id) ?? [];
      const synced = own.reduce((n, f) => n + Math.min(f.synced, f.total || f.synced), 0);
      const total = own.reduce((n, f) => n + f.total, 0);
      const foldersDone = own.filter((f) => f.state === "done").length;
      const syncing = !account.unlinked && account.status !== "paused" && (account.status === "connecting" || own.length === 0 || foldersDone < own.length);
      return {
        ...account,
        job: {
          state: job?.state ?? "scheduled",
          runningSince: job?.current?.since.toISOString() ?? null,
          retryAt: job?.current?.retryAt?.toISOString() ?? null,
          nextRunAt: job?.nextRunAt?.toISOString() ?? null,
          nextRunDue: job?.nextRunAt ? job.nextRunAt.getTime() <= Date.now() : false,
          lastRun: job?.lastRun
            ? {
                startedAt: job.lastRun.startedAt.toISOString(),
                finishedAt: job.lastRun.finishedAt?.toISOString() ?? null,
                outcome: job.lastRun.outcome,
                added: job.lastRun.added,
                updated: job.lastRun.updated,
                deleted: job.lastRun.deleted,
              }
            : null,
          watching: job?.watcher != null,
        },
        folderProgress: own,
        progress: { synced, total, foldersDone, foldersTotal: own.length, syncing },
        problem: explainAccountProblem({
          status: account.status,
          statusReason: account.statusReason,
          unlinked: account.unlinked,
          authKind: account.authKind,
          provider: account.provider,
          errorKind: job?.lastRun?.outcome === "success" ? null : (job?.lastRun?.errorKind ?? null),
          lastErrorAt: job?.lastError?.at ?? null,
          nextRunAt: job?.nextRunAt ?? null,
          retryAt: job?.current?.retryAt ?? null,
          consecutiveFailures: job?.consecutiveFailures ?? 0,
        }),
      };
    }),
  };
}

type FolderRow = {
  id: string;
  account_id: string;
  path: string;
  name: string;
  special_use: string | null;
  uid_validity: string | number | null;
  uid_next: string | number | null;
  backfill_uid: string | number | null;
  server_count: number | string;
  synced_count: number | string;
  live_count: number | string | null;
  last_sync_at: string | Date | null;
};

// Inbox, then the special folders, then the rest by path.
const ORDER: Record<string, number> = { inbox: 0, sent: 1, archive: 2, drafts: 3, junk: 4, trash: 5 };

async function readFolders(db: Database, orgId: string): Promise<Map<string, FolderProgress[]>> {
  const rows = await queryRows<FolderRow>(
    db,
    sql`
    select b.id, b.account_id, b.path, b.name, b.special_use, b.uid_validity, b.uid_next, b.backfill_uid,
      b.server_count, b.synced_count, b.last_sync_at,
      case when b.uid_next is null or b.backfill_uid is not null
        then (select count(*)::int from message_locations l where l.mailbox_id = b.id and l.org_id = ${orgId}) end as live_count
    from mailboxes b
    where b.org_id = ${orgId} and b.selectable`,
  );
  const byAccount = new Map<string, FolderProgress[]>();
  for (const row of rows) {
    const opened = row.uid_validity !== null;
    const done = opened && row.uid_next !== null && row.backfill_uid === null;
    const folder: FolderProgress = {
      id: row.id,
      path: row.path,
      name: row.path.toUpperCase() === "INBOX" ? "Inbox" : row.name,
      specialUse: row.special_use,
      total: Number(row.server_count),
      synced: Number(done ? row.synced_count : (row.live_count ?? row.synced_count)),
      state: done ? "done" : opened ? "syncing" : "queued",
      lastSyncAt: pgTimestamp(row.last_sync_at)?.toISOString() ?? null,
    };
    byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), folder]);
  }
  for (const list of byAccount.values()) list.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  return byAccount;
}

function rank(folder: FolderProgress): number {
  if (folder.path.toUpperCase() === "INBOX") return 0;
  return ORDER[(folder.specialUse ?? "").replace(/^\\/, "").toLowerCase()] ?? 10;
}
