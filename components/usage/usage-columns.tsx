import type { RowData } from "@tanstack/react-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatCount, formatPercent } from "./format";
import type { UsageColumn } from "./sortable-table";

// Column shapes shared by the organisation and account usage tables, so both sort and read alike.

export function numberColumn<T extends RowData>(id: string, header: string, value: (row: T) => number, format: (n: number) => string = formatCount): UsageColumn<T> {
  return { id, header, accessorFn: value, sortFn: "basic", cell: ({ row }) => format(value(row.original)), meta: { align: "right" } };
}

export function failureRateColumn<T extends { failureRate: number | null; failed: number }>(): UsageColumn<T> {
  return {
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
  };
}

export function throttledColumn<T extends { throttled: number }>(): UsageColumn<T> {
  return {
    id: "throttled",
    header: "Throttled",
    accessorFn: (row) => row.throttled,
    sortFn: "basic",
    cell: ({ row }) => <span className={row.original.throttled ? "text-warn" : "text-ink-faint"}>{formatCount(row.original.throttled)}</span>,
    meta: { align: "right" },
  };
}

/** A "when" column: newest first sorts by time, and a missing time reads "never". */
export function whenColumn<T extends RowData>(id: string, header: string, value: (row: T) => string | null): UsageColumn<T> {
  return {
    id,
    header,
    accessorFn: (row) => {
      const at = value(row);
      return at ? Date.parse(at) : 0;
    },
    sortFn: "basic",
    cell: ({ row }) => {
      const at = value(row.original);
      return at ? <RelativeTime date={at} className="text-ink-muted" /> : <span className="text-ink-faint">never</span>;
    },
    meta: { align: "right" },
  };
}
