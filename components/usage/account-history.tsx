import { ChevronLeft } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { UsageDay } from "@/lib/usage/get-usage-timeseries";
import type { UsageSummary } from "@/lib/usage/get-usage-summary";
import type { SyncRunRow } from "@/lib/usage/list-sync-runs";
import { PROVIDER_LABELS, STATUS_LABELS, STATUS_TONES } from "./format";
import { StatusBadge } from "./status-badge";
import { SyncRunsTable } from "./sync-runs-table";
import { SectionTitle, UsageOverview } from "./usage-overview";
import { WindowPicker } from "./window-picker";

export type HistoryAccount = {
  emailAddress: string;
  provider: string;
  status: string;
  statusReason: string | null;
  lastSyncAt: Date | null;
  nextSyncAt: Date | null;
  consecutiveFailures: number;
  createdAt: Date;
  owner: string | null;
  ownerEmail: string | null;
};

/** One account's drill-down: who and what it is, its usage over the window, its sync runs page by page. */
export function AccountHistory(props: {
  account: HistoryAccount;
  backHref: string;
  backLabel: string;
  basePath: string;
  window: number;
  summary: UsageSummary;
  days: UsageDay[];
  runs: { total: number; runs: SyncRunRow[] };
  page: number;
  pageSize: number;
}) {
  const { account, runs, page, pageSize } = props;
  const pages = Math.max(1, Math.ceil(runs.total / pageSize));
  const pageHref = (p: number) => `${props.basePath}?${new URLSearchParams({ ...(props.window !== 30 ? { days: String(props.window) } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;
  return (
    <>
      <Link href={props.backHref} className="mb-3 inline-flex items-center gap-1 text-[12px] text-ink-muted hover:text-ink">
        <ChevronLeft className="size-3.5" /> {props.backLabel}
      </Link>
      <div className="mb-6 flex items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex items-center gap-2 text-[18px] font-semibold tracking-[-0.01em] text-ink">
            <span className="truncate" data-testid="account-title">{account.emailAddress}</span>
            <StatusBadge tone={STATUS_TONES[account.status] ?? "neutral"}>{STATUS_LABELS[account.status] ?? account.status}</StatusBadge>
          </h1>
          <p className="mt-1 text-[13px] text-ink-muted">
            {PROVIDER_LABELS[account.provider] ?? account.provider}
            {account.owner || account.ownerEmail ? ` · linked by ${account.owner ?? account.ownerEmail}` : ""} · linked <RelativeTime date={account.createdAt} />
            {account.lastSyncAt ? (
              <>
                {" "}· last synced <RelativeTime date={account.lastSyncAt} />
              </>
            ) : null}
            {account.nextSyncAt ? (
              <>
                {" "}· next <RelativeTime date={account.nextSyncAt} />
              </>
            ) : null}
          </p>
          {account.statusReason ? (
            <p className="mt-2 rounded-md border border-warn/30 bg-warn/10 px-3 py-1.5 text-[12px] text-ink">
              {account.consecutiveFailures > 0 ? `${account.consecutiveFailures} failed in a row: ` : ""}
              {account.statusReason}
            </p>
          ) : null}
        </div>
        <WindowPicker basePath={props.basePath} days={props.window} />
      </div>
      <UsageOverview summary={props.summary} days={props.days} window={props.window} scopeLabel="account" />
      <SectionTitle detail={`${runs.total.toLocaleString("en-US")} runs in all`}>Sync history</SectionTitle>
      <SyncRunsTable runs={runs.runs} />
      {pages > 1 ? (
        <nav className="mt-3 flex items-center justify-between text-[12px] text-ink-muted" aria-label="Pages">
          <span className="tabular-nums">
            Page {page} of {pages}
          </span>
          <div className="flex gap-2">
            {page > 1 ? (
              <Button asChild size="sm">
                <Link href={pageHref(page - 1)}>Newer</Link>
              </Button>
            ) : null}
            {page < pages ? (
              <Button asChild size="sm">
                <Link href={pageHref(page + 1)}>Older</Link>
              </Button>
            ) : null}
          </div>
        </nav>
      ) : null}
    </>
  );
}
