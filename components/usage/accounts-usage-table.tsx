"use client";

import Link from "next/link";
import { useMemo } from "react";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatBytes, formatCount, formatPercent, PROVIDER_LABELS, STATUS_LABELS, STATUS_TONES } from "./format";
import { SortableTable, type UsageColumn } from "./sortable-table";
import { StatusBadge } from "./status-badge";

/** AccountUsage as it crosses to the browser (dates as ISO strings). */
export type AccountUsageRow = {
  id: string;
  orgSlug: string;
  orgName: string;
  emailAddress: string;
  provider: string;
  status: string;
  statusReason: string | null;
  owner: string | null;
  messages: number;
  storageBytes: number;
  runs: number;
  failed: number;
  throttled: number;
  failureRate: number | null;
  messagesAdded: number;
  lastRunAt: string | null;
  lastSyncAt: string | null;
};

const INITIAL_SORT = [{ id: "messages", desc: true }];

/** Per-account usage; each address opens that account's sync history (org or platform admin path). */
export function AccountsUsageTable({ rows, linkBase, showOrg, urlSort }: { rows: AccountUsageRow[]; linkBase: "org" | "admin"; showOrg?: boolean; urlSort?: string | string[] }) {
  const columns = useMemo(() => accountColumns(linkBase, showOrg === true), [linkBase, showOrg]);
  return <SortableTable columns={columns} data={rows} initialSort={INITIAL_SORT} urlSort={urlSort} sortParam="accounts" testId="accounts-usage" rowTestId="account-usage-row" empty="No linked mailboxes yet." />;
}

function accountColumns(linkBase: "org" | "admin", showOrg: boolean): UsageColumn<AccountUsageRow>[] {
  const href = (row: AccountUsageRow) => (linkBase === "admin" ? `/admin/orgs/${row.orgSlug}/accounts/${row.id}` : `/${row.orgSlug}/usage/accounts/${row.id}`);
  return [
    {
      id: "account",
      header: "Account",
      accessorFn: (row) => row.emailAddress,
      sortFn: "text",
      cell: ({ row }) => (
        <div className="min-w-0">
          <Link href={href(row.original)} className="font-medium text-ink hover:text-accent hover:underline" data-testid="account-usage-link">
            {row.original.emailAddress}
          </Link>
          <p className="truncate text-[12px] text-ink-faint">
            {PROVIDER_LABELS[row.original.provider] ?? row.original.provider}
            {row.original.owner ? ` · ${row.original.owner}` : ""}
            {showOrg ? ` · ${row.original.orgName}` : ""}
          </p>
        </div>
      ),
    },
    {
      id: "status",
      header: "Status",
      accessorFn: (row) => row.status,
      sortFn: "text",
      cell: ({ row }) => (
        <StatusBadge tone={STATUS_TONES[row.original.status] ?? "neutral"} title={row.original.statusReason ?? undefined}>
          {STATUS_LABELS[row.original.status] ?? row.original.status}
        </StatusBadge>
      ),
    },
    { id: "messages", header: "Messages", accessorFn: (row) => row.messages, sortFn: "basic", cell: ({ row }) => formatCount(row.original.messages), meta: { align: "right" } },
    { id: "storage", header: "Storage", accessorFn: (row) => row.storageBytes, sortFn: "basic", cell: ({ row }) => formatBytes(row.original.storageBytes), meta: { align: "right" } },
    { id: "added", header: "Synced", accessorFn: (row) => row.messagesAdded, sortFn: "basic", cell: ({ row }) => formatCount(row.original.messagesAdded), meta: { align: "right" } },
    { id: "runs", header: "Runs", accessorFn: (row) => row.runs, sortFn: "basic", cell: ({ row }) => formatCount(row.original.runs), meta: { align: "right" } },
    {
      id: "failureRate",
      header: "Failure rate",
      accessorFn: (row) => row.failureRate ?? -1,
      sortFn: "basic",
      cell: ({ row }) => (
        <span className={row.original.failureRate ? "text-danger" : undefined} title={`${row.original.failed} failed of the finished runs`}>
          {formatPercent(row.original.failureRate)}
        </span>
      ),
      meta: { align: "right" },
    },
    {
      id: "throttled",
      header: "Throttled",
      accessorFn: (row) => row.throttled,
      sortFn: "basic",
      cell: ({ row }) => <span className={row.original.throttled ? "text-warn" : "text-ink-faint"}>{formatCount(row.original.throttled)}</span>,
      meta: { align: "right" },
    },
    {
      id: "lastRun",
      header: "Last run",
      accessorFn: (row) => (row.lastRunAt ? Date.parse(row.lastRunAt) : 0),
      sortFn: "basic",
      cell: ({ row }) => (row.original.lastRunAt ? <RelativeTime date={row.original.lastRunAt} className="text-ink-muted" /> : <span className="text-ink-faint">never</span>),
      meta: { align: "right" },
    },
  ];
}
