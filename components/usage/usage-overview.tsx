import type { ReactNode } from "react";
import { RelativeTime } from "@/components/ui/relative-time";
import type { UsageDay } from "@/lib/usage/get-usage-timeseries";
import type { UsageSummary } from "@/lib/usage/get-usage-summary";
import { errorKindLabel, formatBytes, formatCount, formatPercent, PROVIDER_LABELS, STATUS_LABELS, STATUS_TONES } from "./format";
import { StatCard } from "./stat-card";
import { StatusBadge } from "./status-badge";
import { ErrorsByKindChart, MessagesPerDayChart, SyncDurationChart } from "./usage-charts";

/**
 * Headline cards, accounts by provider and status, errors by kind, then the charts over time. The
 * tables (per organisation, per account, sync runs) follow on each page.
 */
export function UsageOverview({ summary, days, window, scopeLabel }: { summary: UsageSummary; days: UsageDay[]; window: number; scopeLabel: "organisation" | "platform" | "account" }) {
  const statuses = Object.entries(summary.accounts.byStatus).sort((a, b) => b[1] - a[1]);
  const errorRuns = summary.errorsByKind.reduce((n, e) => n + e.count, 0);
  return (
    <>
      <div className={`mb-4 grid grid-cols-2 gap-3 md:grid-cols-3 ${scopeLabel === "account" ? "xl:grid-cols-5" : ""}`} data-testid="usage-cards">
        {scopeLabel === "account" ? null : scopeLabel === "platform" ? (
          <StatCard label="Organisations" value={formatCount(summary.organizations)} detail={`${formatCount(summary.accounts.total)} linked accounts`} testId="card-organisations" />
        ) : (
          <StatCard
            label="Linked accounts"
            value={formatCount(summary.accounts.total)}
            detail={statuses.map(([status, n]) => `${n} ${(STATUS_LABELS[status] ?? status).toLowerCase()}`).join(" · ") || "none linked"}
            testId="card-accounts"
          />
        )}
        <StatCard label="Messages" value={formatCount(summary.messages)} detail={`+${formatCount(summary.messagesAdded)} synced in ${window} days`} testId="card-messages" />
        <StatCard
          label="Storage"
          value={formatBytes(summary.storage.totalBytes)}
          detail={`mail ${formatBytes(summary.storage.messageBytes)} + attachments ${formatBytes(summary.storage.attachmentBytes)}`}
          testId="card-storage"
        />
        <StatCard label="Sync runs today" value={formatCount(summary.runs.today)} detail={`${formatCount(summary.runs.inWindow)} in ${window} days`} testId="card-runs" />
        <StatCard
          label="Failure rate"
          value={formatPercent(summary.runs.failureRate)}
          tone={summary.runs.failureRate && summary.runs.failureRate >= 0.1 ? "danger" : summary.runs.failureRate ? "warn" : undefined}
          detail={`${formatCount(summary.runs.failed)} failed of ${formatCount(summary.runs.finished)} · ${formatCount(summary.runs.throttled)} throttled`}
          testId="card-failures"
        />
        <StatCard
          label="Last activity"
          value={summary.lastActivityAt ? <RelativeTime date={summary.lastActivityAt} /> : "Never"}
          detail={summary.lastActivityAt ? "last sync run started" : "no sync has run"}
          testId="card-activity"
        />
      </div>

      <div className={`mb-4 grid gap-3 ${scopeLabel === "account" ? "" : "md:grid-cols-2"}`}>
        {scopeLabel === "account" ? null : (
        <Panel title={scopeLabel === "platform" ? "Accounts by provider and status (all organisations)" : "Accounts by provider and status"}>
          {summary.accounts.byProvider.length === 0 ? (
            <p className="px-4 py-3 text-ink-muted">No linked mailboxes.</p>
          ) : (
            <table className="w-full text-[13px]" data-testid="accounts-by-provider">
              <tbody>
                {summary.accounts.byProvider.map((row) => (
                  <tr key={`${row.provider}-${row.status}`} className="border-b border-line last:border-0">
                    <td className="h-9 px-4 font-medium text-ink">{PROVIDER_LABELS[row.provider] ?? row.provider}</td>
                    <td className="px-2">
                      <StatusBadge tone={STATUS_TONES[row.status] ?? "neutral"}>{STATUS_LABELS[row.status] ?? row.status}</StatusBadge>
                    </td>
                    <td className="px-4 text-right tabular-nums text-ink">{formatCount(row.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        )}
        <Panel title={`Errors by kind, last ${window} days`}>
          {errorRuns === 0 ? (
            <p className="px-4 py-3 text-ink-muted">No sync run ended with an error.</p>
          ) : (
            <table className="w-full text-[13px]" data-testid="errors-by-kind">
              <tbody>
                {summary.errorsByKind.map((row) => (
                  <tr key={row.kind} className="border-b border-line last:border-0">
                    <td className="h-9 px-4 text-ink">{errorKindLabel(row.kind)}</td>
                    <td className="px-2 font-mono text-[11px] text-ink-faint">{row.kind}</td>
                    <td className="px-4 text-right tabular-nums text-ink">{formatCount(row.count)}</td>
                    <td className="w-[64px] pr-4 text-right text-[12px] tabular-nums text-ink-faint">{formatPercent(row.count / errorRuns)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>

      <div className="mb-6 grid gap-3 lg:grid-cols-2" data-testid="usage-charts">
        <div className="lg:col-span-2">
          <MessagesPerDayChart days={days} />
        </div>
        <SyncDurationChart days={days} />
        <ErrorsByKindChart days={days} />
      </div>
    </>
  );
}

export function Panel({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="min-w-0 overflow-hidden rounded-lg border border-line bg-panel">
      <h2 className="flex h-10 items-center justify-between gap-2 border-b border-line px-4 text-[13px] font-medium text-ink">
        {title}
        {actions}
      </h2>
      {children}
    </section>
  );
}

export function SectionTitle({ children, detail }: { children: ReactNode; detail?: ReactNode }) {
  return (
    <div className="mb-2 flex items-baseline justify-between gap-3">
      <h2 className="text-[14px] font-semibold text-ink">{children}</h2>
      {detail ? <span className="text-[12px] text-ink-faint">{detail}</span> : null}
    </div>
  );
}
