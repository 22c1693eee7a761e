"use client";

import { useEffect, useRef } from "react";
import { toast } from "sonner";
import type { AccountOverview } from "@/lib/accounts/get-accounts-overview";
import { useAccountsOverview } from "./use-accounts-overview";

// Requested syncs whose result should be announced: account id → when, what to call it, messages then.
const awaited = new Map<string, { since: number; label: string; messages: number }>();

/** Announce the result of the sync just requested for this account (a toast when it finishes). */
export function awaitSyncResult(accountId: string, label: string, messagesBefore = 0) {
  awaited.set(accountId, { since: Date.now() - 1_000, label, messages: messagesBefore });
}

type Seen = { syncing: boolean; status: string; lastRunStart: string | null; lastRunDone: boolean };

/**
 * Toasts for what happens in the background, on whatever screen is open: an initial sync or resync
 * finished, a mailbox started failing or needs reconnecting, a requested sync finished. Polls the
 * accounts overview slowly (shared with the accounts screen, which polls faster while it shows).
 */
export function SyncToasts({ slug }: { slug: string }) {
  const { data } = useAccountsOverview(slug, { busyMs: 2_000, idleMs: 20_000, busy: () => awaited.size > 0 });
  const seen = useRef<Map<string, Seen> | null>(null);

  useEffect(() => {
    if (!data) return;
    const previous = seen.current;
    const next = new Map(data.accounts.map((a) => [a.id, snapshot(a)]));
    seen.current = next;
    for (const account of data.accounts) {
      const before = previous?.get(account.id);
      const now = next.get(account.id)!;
      announceRequested(account);
      if (!before) continue;
      if (before.syncing && !now.syncing && (account.status === "active" || account.status === "syncing")) {
        awaited.delete(account.id);
        toast.success(`Sync finished: ${account.emailAddress}`, { description: `${account.progress.synced.toLocaleString("en")} messages in ${account.progress.foldersTotal} folders.` });
      }
      if (before.status !== now.status && (now.status === "reconnect_needed" || now.status === "error")) {
        toast.error(`${account.emailAddress}: ${now.status === "reconnect_needed" ? "reconnect needed" : "sync failed"}`, { description: account.problem ? `${account.problem.title} ${account.problem.fix}` : undefined });
      }
    }
  }, [data]);
  return null;
}

function snapshot(account: AccountOverview): Seen {
  return {
    syncing: account.progress.syncing,
    status: account.status,
    lastRunStart: account.job.lastRun?.startedAt ?? null,
    lastRunDone: Boolean(account.job.lastRun?.finishedAt),
  };
}

function announceRequested(account: AccountOverview) {
  const wait = awaited.get(account.id);
  const run = account.job.lastRun;
  if (!wait) return;
  if (Date.now() - wait.since > 5 * 60_000) return void awaited.delete(account.id);
  // A run is several bounded passes: wait for the last one (nothing running, no initial sync left).
  const busy = account.job.state === "running" || account.job.state === "queued" || account.job.state === "retrying" || account.progress.syncing;
  if (!run || !run.finishedAt || Date.parse(run.startedAt) < wait.since || (busy && run.outcome !== "failed")) return;
  awaited.delete(account.id);
  if (run.outcome === "failed") {
    toast.error(`Sync failed: ${wait.label}`, { description: account.problem ? `${account.problem.title} ${account.problem.fix}` : undefined });
  } else {
    const added = Math.max(0, account.messages - wait.messages);
    toast.success(`Sync finished: ${added === 0 ? "no new messages" : `${added.toLocaleString("en")} new message${added === 1 ? "" : "s"}`}`, { description: wait.label });
  }
}
