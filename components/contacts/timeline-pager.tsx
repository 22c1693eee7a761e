import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";

/** Older / newer pages of a timeline, as links (the page lives in the URL). */
export function TimelinePager({ basePath, page, hasMore, query = {} }: { basePath: string; page: number; hasMore: boolean; query?: Record<string, string> }) {
  if (page <= 1 && !hasMore) return null;
  const href = (p: number) => {
    const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
    if (p > 1) search.set("page", String(p));
    const text = search.toString();
    return text ? `${basePath}?${text}` : basePath;
  };
  const item = "inline-flex h-7 items-center gap-1 rounded-md border border-line-strong bg-panel px-2.5 text-[12px] font-medium";
  return (
    <nav className="flex items-center justify-between border-t border-line px-4 py-2.5" aria-label="Timeline pages">
      {page > 1 ? (
        <Link href={href(page - 1)} className={`${item} text-ink hover:bg-hover`}>
          <ChevronLeft className="size-3.5" /> Newer
        </Link>
      ) : (
        <span />
      )}
      <span className="text-[12px] text-ink-faint tabular-nums">Page {page}</span>
      {hasMore ? (
        <Link href={href(page + 1)} className={`${item} text-ink hover:bg-hover`}>
          Older <ChevronRight className="size-3.5" />
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
