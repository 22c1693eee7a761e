import { RelativeTime } from "@/components/ui/relative-time";
import type { SyncRunRow } from "@/lib/usage/list-sync-runs";
import { errorKindLabel, formatBytes, formatCount, formatDuration, OUTCOME_LABELS, OUTCOME_TONES } from "./format";
import { StatusBadge } from "./status-badge";

/** An account's sync history, newest first: what ran, how long, what changed, and why it failed. */
export function SyncRunsTable({ runs }: { runs: SyncRunRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table className="w-full text-[13px]" data-testid="sync-runs">
        <thead className="sticky top-0 bg-sunken text-left text-[12px] text-ink-muted">
          <tr className="border-b border-line">
            <th className="h-9 pr-3 pl-4 font-medium">Started</th>
            <th className="px-3 font-medium">Outcome</th>
            <th className="px-3 font-medium">Trigger</th>
            <th className="px-3 text-right font-medium">Duration</th>
            <th className="px-3 text-right font-medium" title="Messages added · updated · deleted">
              Added / upd. / del.
            </th>
            <th className="px-3 text-right font-medium">Fetched</th>
            <th className="pr-4 pl-3 font-medium">Problem</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-b border-line align-top last:border-0 hover:bg-hover/40" data-testid="sync-run-row">
              <td className="py-2.5 pr-3 pl-4 whitespace-nowrap">
                <RelativeTime date={run.startedAt} className="text-ink" />
                {run.mailbox ? <p className="text-[12px] text-ink-faint">{run.mailbox}</p> : null}
              </td>
              <td className="px-3 py-2.5">
                <StatusBadge tone={OUTCOME_TONES[run.outcome] ?? "neutral"}>{OUTCOME_LABELS[run.outcome] ?? run.outcome}</StatusBadge>
              </td>
              <td className="px-3 py-2.5 text-ink-muted">{run.trigger}</td>
              <td className="px-3 py-2.5 text-right tabular-nums text-ink-muted">{formatDuration(run.durationSeconds)}</td>
              <td className="px-3 py-2.5 text-right whitespace-nowrap tabular-nums">
                <span className="text-ink">{formatCount(run.added)}</span>
                <span className="text-ink-faint"> · {formatCount(run.updated)} · {formatCount(run.deleted)}</span>
                {run.parseFailures ? <p className="text-[12px] text-warn">{run.parseFailures} unreadable</p> : null}
              </td>
              <td className="px-3 py-2.5 text-right tabular-nums text-ink-muted">{run.bytes ? formatBytes(run.bytes) : "—"}</td>
              <td className="max-w-[280px] py-2.5 pr-4 pl-3">
                {run.errorKind || run.error ? (
                  <details className="group">
                    <summary className="cursor-pointer list-none text-danger marker:hidden">
                      {errorKindLabel(run.errorKind ?? "error")}
                      {run.error ? <span className="ml-1 text-[11px] text-ink-faint group-open:hidden">details</span> : null}
                    </summary>
                    {run.error ? <p className="mt-1 text-[12px] break-words text-ink-muted">{run.error}</p> : null}
                  </details>
                ) : (
                  <span className="text-ink-faint">—</span>
                )}
              </td>
            </tr>
          ))}
          {runs.length === 0 ? (
            <tr>
              <td colSpan={7} className="px-4 py-8 text-center text-ink-muted">
                No sync has run for this account yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
