"use client";

import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatBytes, formatCount, formatPercent } from "./format";
import { SortableTable, type UsageColumn } from "./sortable-table";

/** OrganizationUsage as it crosses to the browser (dates as ISO strings). */
export type OrgUsageRow = {
  slug: string;
  name: string;
  personal: boolean;
  members: number;
  accounts: number;
  accountsNeedingAttention: number;
  messages: number;
  storageBytes: number;
  runs: number;
  failed: number;
  throttled: number;
  failureRate: number | null;
  messagesAdded: number;
  lastActivityAt: string | null;
};

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
    { id: "members", header: "Members", accessorFn: (row) => row.members, sortFn: "basic", cell: ({ row }) => formatCount(row.original.members), meta: { align: "right" } },
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
    { id: "messages", header: "Messages", accessorFn: (row) => row.messages, sortFn: "basic", cell: ({ row }) => formatCount(row.original.messages), meta: { align: "right" } },
    { id: "storage", header: "Storage", accessorFn: (row) => row.storageBytes, sortFn: "basic", cell: ({ row }) => formatBytes(row.original.storageBytes), meta: { align: "right" } },
    { id: "runs", header: "Runs", accessorFn: (row) => row.runs, sortFn: "basic", cell: ({ row }) => formatCount(row.original.runs), meta: { align: "right" } },
    {
      id: "failureRate",
      header: "Failure rate",
      accessorFn: (row) => row.failureRate ?? -1,
      sortFn: "basic",
      cell: ({ row }) => <span className={row.original.failureRate ? "text-danger" : undefined}>{formatPercent(row.original.failureRate)}</span>,
      meta: { align: "right" },
    },
    {
      id: "lastActivity",
      header: "Last activity",
      accessorFn: (row) => (row.lastActivityAt ? Date.parse(row.lastActivityAt) : 0),
      sortFn: "basic",
      cell: ({ row }) => (row.original.lastActivityAt ? <RelativeTime date={row.original.lastActivityAt} className="text-ink-muted" /> : <span className="text-ink-faint">never</span>),
      meta: { align: "right" },
    },
];
