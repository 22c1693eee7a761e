"use client";

import {
  type ColumnDef,
  createSortedRowModel,
  type RowData,
  rowSortingFeature,
  type SortingState,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ChevronsUpDown } from "lucide-react";
import { useEffect, useMemo } from "react";
import { cn } from "@/components/ui/cn";

export const usageTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, basic: sortFn_basic, datetime: sortFn_datetime },
});

export type UsageColumn<T extends RowData> = ColumnDef<typeof usageTableFeatures, T> & { meta?: { align?: "right"; width?: string } };

/**
 * A dense table with a sticky header and sortable columns (click a header; again to reverse). The
 * sort lives in the URL (?sort=column.desc) so a sorted view is linkable and survives reload.
 */
export function SortableTable<T extends RowData>({
  columns,
  data,
  initialSort,
  urlSort,
  sortParam = "sort",
  testId,
  empty,
  rowTestId,
}: {
  columns: UsageColumn<T>[];
  data: T[];
  initialSort: SortingState;
  /** The sort from the URL (read by the page on the server, so server and browser render the same order). */
  urlSort?: string | string[];
  sortParam?: string;
  testId?: string;
  empty?: string;
  rowTestId?: string;
}) {
  const startingSort = useMemo(() => parseSort(urlSort, columns) ?? initialSort, [urlSort, columns, initialSort]);
  const table = useTable({ features: usageTableFeatures, columns, data, initialState: { sorting: startingSort }, enableSortingRemoval: false });
  const sorting = table.atoms.sorting.get();
  useEffect(() => writeSort(sortParam, sorting, initialSort), [sortParam, sorting, initialSort]);

  return (
    <div className="overflow-x-auto rounded-lg border border-line bg-panel">
      <table className="w-full text-[13px]" data-testid={testId}>
        <thead className="sticky top-0 z-10 bg-sunken text-left text-[12px] text-ink-muted">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="border-b border-line">
              {group.headers.map((header) => {
                const meta = (header.column.columnDef as UsageColumn<T>).meta;
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    className={cn("h-9 px-3 font-medium whitespace-nowrap first:pl-4 last:pr-4", meta?.align === "right" && "text-right")}
                    style={{ width: meta?.width }}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        onClick={header.column.getToggleSortingHandler()}
                        className={cn("inline-flex items-center gap-1 rounded hover:text-ink", meta?.align === "right" && "flex-row-reverse", sorted && "text-ink")}
                      >
                        <table.FlexRender header={header} />
                        {sorted === "asc" ? <ArrowUp className="size-3" /> : sorted === "desc" ? <ArrowDown className="size-3" /> : <ChevronsUpDown className="size-3 opacity-40" />}
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="border-b border-line last:border-0 hover:bg-hover/40" data-testid={rowTestId}>
              {row.getAllCells().map((cell) => {
                const meta = (cell.column.columnDef as UsageColumn<T>).meta;
                return (
                  <td key={cell.id} className={cn("h-10 px-3 align-middle first:pl-4 last:pr-4", meta?.align === "right" && "text-right tabular-nums")}>
                    <table.FlexRender cell={cell} />
                  </td>
                );
              })}
            </tr>
          ))}
          {data.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-4 py-8 text-center text-ink-muted">
                {empty ?? "Nothing here yet."}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function parseSort<T extends RowData>(value: string | string[] | undefined, columns: UsageColumn<T>[]): SortingState | null {
  const text = Array.isArray(value) ? value[0] : value;
  const match = text ? /^(\w+)\.(asc|desc)$/.exec(text) : null;
  if (!match || !columns.some((c) => c.id === match[1])) return null;
  return [{ id: match[1]!, desc: match[2] === "desc" }];
}

function writeSort(param: string, sorting: SortingState, initial: SortingState) {
  if (!sorting[0]) return;
  const url = new URL(window.location.href);
  const value = `${sorting[0].id}.${sorting[0].desc ? "desc" : "asc"}`;
  if (url.searchParams.get(param) === value) return;
  // The default order needs no parameter.
  const isDefault = initial[0]?.id === sorting[0].id && initial[0]?.desc === sorting[0].desc;
  if (isDefault && !url.searchParams.has(param)) return;
  url.searchParams.set(param, value);
  window.history.replaceState(window.history.state, "", url);
}
