import { subDays } from "date-fns";
import { Plus, X } from "lucide-react";
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { SearchParams } from "@/lib/search/search-params";
import { searchHref } from "@/lib/search/search-params";
import type { UnderstoodClause } from "@/lib/search/search-org-mail";

/**
 * How the search was understood, one chip per clause (× removes it), then one-click refinements
 * that add a common operator, as in Gmail's search chips.
 */
export function QueryChips({ slug, params, clauses }: { slug: string; params: SearchParams; clauses: UnderstoodClause[] }) {
  const texts = clauses.map((c) => c.text);
  const without = (i: number) => searchHref(slug, params, { q: texts.filter((_, j) => j !== i).join(" "), page: 1 });
  const add = (operator: string) => searchHref(slug, params, { q: `${params.q.trim()} ${operator}`, page: 1 });
  const since = subDays(new Date(), 30).toISOString().slice(0, 10);
  const refinements = [
    { label: "Has attachment", operator: "has:attachment" },
    { label: "Unread", operator: "is:unread" },
    { label: "From me", operator: "from:me" },
    { label: "Last 30 days", operator: `after:${since}`, present: texts.some((t) => t.startsWith("after:")) },
  ].filter((r) => !(r.present ?? texts.includes(r.operator)));

  return (
    <div className="mb-4 flex flex-wrap items-center gap-1.5" data-testid="search-chips">
      {clauses.map((clause, i) => (
        <span
          key={`${clause.text}-${i}`}
          className={cn(
            "inline-flex h-6 items-center gap-1 rounded-full border pr-1 pl-2.5 text-[12px]",
            clause.negated ? "border-danger/30 bg-danger-soft text-danger" : clause.operator ? "border-accent/25 bg-accent-soft text-accent" : "border-line-strong bg-panel text-ink",
          )}
          data-testid="search-chip"
        >
          <span className="font-mono text-[11.5px]">{clause.text}</span>
          <Link href={without(i)} className="rounded-full p-0.5 opacity-60 hover:bg-black/5 hover:opacity-100" aria-label={`Remove ${clause.text}`}>
            <X className="size-3" />
          </Link>
        </span>
      ))}
      {refinements.length ? <span className="mx-1 h-4 w-px bg-line-strong" aria-hidden /> : null}
      {refinements.map((r) => (
        <Link
          key={r.operator}
          href={add(r.operator)}
          className="inline-flex h-6 items-center gap-1 rounded-full border border-dashed border-line-strong px-2.5 text-[12px] text-ink-muted hover:border-solid hover:bg-hover hover:text-ink"
        >
          <Plus className="size-3" /> {r.label}
        </Link>
      ))}
    </div>
  );
}
