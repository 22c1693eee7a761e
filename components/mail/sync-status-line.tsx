import { RefreshCw } from "lucide-react";
import Link from "next/link";
import { ProgressBar } from "@/components/accounts/progress-bar";
import type { AccountSyncing } from "@/lib/conversations/get-mail-status";
import { formatCount } from "./format";
import { AutoRefresh } from "./auto-refresh";

/** The compact line the home page shows while any mailbox syncs: how far, live. */
export function SyncStatusLine({ slug, syncing }: { slug: string; syncing: AccountSyncing[] }) {
  if (!syncing.length) return null;
  const synced = syncing.reduce((n, a) => n + a.synced, 0);
  const total = syncing.reduce((n, a) => n + a.total, 0);
  const percent = total > 0 ? Math.min(100, Math.round((synced / total) * 100)) : 0;
  const label = syncing.length === 1 ? syncing[0]!.emailAddress : `${syncing.length} mailboxes`;
  return (
    <Link
      href={`/${slug}/accounts`}
      data-testid="sync-status-line"
      className="mb-4 flex items-center gap-3 rounded-lg border border-info/25 bg-info/5 px-3 py-2 text-[13px] text-ink transition-colors hover:bg-info/10"
    >
      <AutoRefresh seconds={5} />
      <RefreshCw className="size-3.5 shrink-0 animate-spin text-info [animation-duration:2s]" aria-hidden />
      <span className="min-w-0 truncate">
        Syncing <span className="font-medium">{label}</span>
        {total > 0 ? (
          <span className="text-ink-muted tabular-nums">
            {" "}
            · {formatCount(synced)} of {formatCount(total)} messages
          </span>
        ) : (
          <span className="text-ink-muted"> · listing folders…</span>
        )}
      </span>
      <span className="ml-auto flex shrink-0 items-center gap-2">
        <ProgressBar percent={percent} label="Sync progress" className="w-28" />
        <span className="w-9 text-right text-[12px] text-ink-muted tabular-nums">{percent}%</span>
      </span>
    </Link>
  );
}
