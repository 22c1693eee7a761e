"use client";

import { Check, ChevronDown, ChevronRight, RotateCcw } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { percentOf, ProgressBar } from "@/components/accounts/progress-bar";
import { formatDuration, formatRate, secondsLeft } from "@/components/accounts/sync-rate";
import { useRefreshAccounts } from "@/components/accounts/use-accounts-overview";
import { actionErrorMessage } from "@/components/ui/action-error";
import { RelativeTime } from "@/components/ui/relative-time";
import type { AccountOverview, FolderProgress } from "@/lib/accounts/get-accounts-overview";
import { resyncFolderAction } from "./actions";

const count = (n: number) => n.toLocaleString("en");

/**
 * The mailbox's folders: a progress bar per folder while its initial sync (or a resync) runs, with
 * rate and time left from recent progress; a one-line summary once every folder is done.
 */
export function FolderList({ slug, account, rates }: { slug: string; account: AccountOverview; rates: Record<string, number> }) {
  const [open, setOpen] = useState(false);
  const { progress, folderProgress: folders } = account;
  const active = account.status !== "paused" && !account.unlinked;
  const expanded = open || (progress.syncing && active && folders.length > 0);

  if (folders.length === 0) {
    return (
      <p className="text-[12px] text-ink-faint" data-testid="folders-summary">
        {active && progress.syncing ? "Listing folders…" : "No folders synced yet."}
      </p>
    );
  }
  const folderRates = folders.map((f) => rates[f.id] ?? null);
  const totalRate = folderRates.reduce<number | null>((sum, r) => (r === null ? sum : (sum ?? 0) + r), null);
  const left = secondsLeft(totalRate, progress.synced, progress.total);

  return (
    <div className="flex flex-col gap-1.5">
      <button
        type="button"
        className="flex items-center gap-1.5 self-start rounded text-[12px] text-ink-muted hover:text-ink focus-visible:ring-2 focus-visible:ring-accent/30 focus-visible:outline-none"
        aria-expanded={expanded}
        onClick={() => setOpen((v) => !v)}
        data-testid="folders-summary"
      >
        {expanded ? <ChevronDown className="size-3.5" /> : <ChevronRight className="size-3.5" />}
        {progress.foldersDone === progress.foldersTotal ? (
          <span>
            <Check className="mr-1 inline size-3.5 text-ok" aria-hidden />
            All {progress.foldersTotal} folders synced · {count(progress.synced)} of {count(progress.total)} messages
          </span>
        ) : (
          <span className="tabular-nums">
            {progress.foldersDone} of {progress.foldersTotal} folders done · {count(progress.synced)} of {count(progress.total)} messages
            {active && totalRate ? ` · ${formatRate(totalRate)}` : ""}
            {active && left ? ` · about ${formatDuration(left)} left` : ""}
            {!active ? " · paused" : ""}
          </span>
        )}
      </button>
      {expanded ? (
        <ul className="flex flex-col divide-y divide-line rounded-md border border-line" data-testid="folder-list">
          {folders.map((folder, i) => (
            <FolderRow key={folder.id} slug={slug} account={account} folder={folder} rate={folderRates[i] ?? null} active={active} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function FolderRow({ slug, account, folder, rate, active }: { slug: string; account: AccountOverview; folder: FolderProgress; rate: number | null; active: boolean }) {
  const refresh = useRefreshAccounts(slug);
  const resync = useAction(resyncFolderAction);
  const percent = percentOf(folder.synced, folder.total);
  const left = secondsLeft(rate, folder.synced, folder.total);
  return (
    <li className="grid grid-cols-[minmax(120px,180px)_minmax(0,1fr)_auto] items-center gap-3 px-3 py-1.5 text-[12px]" data-testid="folder-row" data-path={folder.path} data-state={folder.state}>
      <span className="truncate font-medium text-ink" title={folder.path}>
        {folder.name}
      </span>
      <span className="flex min-w-0 items-center gap-2">
        {folder.state === "done" ? (
          <span className="truncate text-ink-muted tabular-nums" data-testid="folder-count">
            <Check className="mr-1 inline size-3.5 text-ok" aria-hidden />
            {count(folder.synced)} messages{folder.lastSyncAt ? " · synced " : ""}
            {folder.lastSyncAt ? <RelativeTime date={folder.lastSyncAt} /> : null}
          </span>
        ) : folder.state === "queued" ? (
          <span className="text-ink-faint">{active ? "Waiting to start…" : "Not started"}</span>
        ) : (
          <>
            <ProgressBar percent={percent} label={`${folder.name}: ${Math.floor(percent)}% synced`} className="w-40 shrink-0" tone={active ? "info" : "muted"} />
            <span className="truncate text-ink-muted tabular-nums" data-testid="folder-count">
              {count(folder.synced)} of {count(folder.total)} · {Math.floor(percent)}%{active && rate ? ` · ${formatRate(rate)}` : ""}
              {active && left ? ` · ${formatDuration(left)} left` : ""}
            </span>
          </>
        )}
      </span>
      {account.canManage && active && folder.state === "done" ? (
        <button
          type="button"
          disabled={resync.isPending}
          aria-label={`Resync ${folder.name}`}
          title="Read this folder again from the server (fixes a folder that looks out of date; nothing is duplicated)"
          className="inline-flex h-6 items-center gap-1 rounded px-1.5 text-ink-faint hover:bg-hover hover:text-ink disabled:pointer-events-none disabled:opacity-40"
          onClick={async () => {
            const result = await resync.executeAsync({ slug, accountId: account.id, mailboxId: folder.id });
            const message = actionErrorMessage(result);
            if (message) return toast.error(message);
            toast.success(`Resync of ${folder.name} started.`);
            void refresh();
          }}
        >
          <RotateCcw className="size-3" /> Resync
        </button>
      ) : (
        <span />
      )}
    </li>
  );
}
