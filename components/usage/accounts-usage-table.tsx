"use client";

import Link from "next/link";
import { useMemo } from "react";
import { formatBytes, PROVIDER_LABELS, STATUS_LABELS, STATUS_TONES } from "./format";
import type { AccountUsageRow } from "./rows";
import { SortableTable, type UsageColumn } from "./sortable-table";
import { StatusBadge } from "./status-badge";
import { failureRateColumn, numberColumn, throttledColumn, whenColumn } from "./usage-columns";

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
    numberColumn("messages", "Messages", (row) => row.messages),
    numberColumn("storage", "Storage", (row) => row.storageBytes, formatBytes),
    numberColumn("added", "Synced", (row) => row.messagesAdded),
    numberColumn("runs", "Runs", (row) => row.runs),
    failureRateColumn<AccountUsageRow>(),
    throttledColumn<AccountUsageRow>(),
    whenColumn("lastRun", "Last run", (row) => row.lastRunAt),
  ];
}
