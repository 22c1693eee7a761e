"use client";

import Link from "next/link";
import { formatBytes, formatCount } from "./format";
import type { OrgUsageRow } from "./rows";
import { SortableTable, type UsageColumn } from "./sortable-table";
import { failureRateColumn, numberColumn, whenColumn } from "./usage-columns";

const INITIAL_SORT = [{ id: "messages", desc: true }];

/** Every organisation, sortable; each opens its usage at /admin/orgs/[slug]. */
export function OrgsUsageTable({ rows, urlSort }: { rows: OrgUsageRow[]; urlSort?: string | string[] }) {
  return <SortableTable columns={COLUMNS} data={rows} initialSort={INITIAL_SORT} urlSort={urlSort} sortParam="orgs" testId="orgs-usage" rowTestId="org-usage-row" empty="No organisations yet." />;
}

const COLUMNS: UsageColumn<OrgUsageRow>[] = [
    {
      id: "name",
      header: "Organisation",
      accessorFn: (row) => row.name,
      sortFn: "text",
      cell: ({ row }) => (
        <div className="min-w-0">
          <Link href={`/admin/orgs/${row.original.slug}`} className="font-medium text-ink hover:text-accent hover:underline" data-testid="org-usage-link">
            {row.original.name}
          </Link>
          <p className="truncate text-[12px] text-ink-faint">
            /{row.original.slug}
            {row.original.personal ? " · personal" : ""}
          </p>
        </div>
      ),
    },
    numberColumn("members", "Members", (row) => row.members),
    {
      id: "accounts",
      header: "Accounts",
      accessorFn: (row) => row.accounts,
      sortFn: "basic",
      cell: ({ row }) => (
        <span>
          {formatCount(row.original.accounts)}
          {row.original.accountsNeedingAttention ? (
            <span className="ml-1.5 text-[12px] text-warn" title="Reconnect needed or failing">
              ({row.original.accountsNeedingAttention} need attention)
            </span>
          ) : null}
        </span>
      ),
      meta: { align: "right" },
    },
    numberColumn("messages", "Messages", (row) => row.messages),
    numberColumn("storage", "Storage", (row) => row.storageBytes, formatBytes),
    numberColumn("runs", "Runs", (row) => row.runs),
    failureRateColumn<OrgUsageRow>(),
    whenColumn("lastActivity", "Last activity", (row) => row.lastActivityAt),
];
