"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { AccountsOverview } from "@/lib/accounts/get-accounts-overview";
import { addSample, rateOf, type Sample } from "./sync-rate";

/** The overview plus messages/s per folder still syncing, from the polls so far. */
export type LiveAccountsOverview = AccountsOverview & { rates?: Record<string, number> };

// Progress samples per folder, across polls (kept outside React: every poll adds one).
const samples = new Map<string, Sample[]>();

export const accountsOverviewKey = (slug: string) => ["accounts-overview", slug] as const;

/**
 * The accounts screen's data, from GET /api/orgs/[slug]/accounts: polled every `busyMs` while a
 * mailbox syncs (or `while` says so), every `idleMs` otherwise; `initial` is the server render's copy.
 */
export function useAccountsOverview(slug: string, options: { initial?: AccountsOverview; busyMs?: number; idleMs?: number; busy?: () => boolean } = {}) {
  const { initial, busyMs = 1_500, idleMs = 10_000, busy } = options;
  return useQuery({
    queryKey: accountsOverviewKey(slug),
    queryFn: async ({ signal }): Promise<LiveAccountsOverview> => {
      const response = await fetch(`/api/orgs/${encodeURIComponent(slug)}/accounts`, { signal, cache: "no-store" });
      if (!response.ok) throw new Error(`accounts: ${response.status}`);
      return withRates(await response.json());
    },
    initialData: initial,
    initialDataUpdatedAt: initial ? Date.parse(initial.at) : undefined,
    staleTime: 1_000,
    refetchInterval: (query) => (isBusy(query.state.data) || busy?.() ? busyMs : idleMs),
    refetchIntervalInBackground: false,
  });
}

export function useRefreshAccounts(slug: string) {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: accountsOverviewKey(slug) }), [client, slug]);
}

export function isBusy(data: AccountsOverview | undefined): boolean {
  return Boolean(data?.accounts.some((a) => a.progress.syncing || a.job.state === "running" || a.job.state === "queued" || a.job.state === "retrying"));
}

function withRates(data: AccountsOverview): LiveAccountsOverview {
  const at = Date.parse(data.at);
  const rates: Record<string, number> = {};
  for (const folder of data.accounts.flatMap((a) => a.folderProgress)) {
    if (folder.state !== "syncing") {
      samples.delete(folder.id);
      continue;
    }
    const series = addSample(samples.get(folder.id) ?? [], { at, synced: folder.synced });
    samples.set(folder.id, series);
    const rate = rateOf(series);
    if (rate !== null) rates[folder.id] = rate;
  }
  return { ...data, rates };
}
