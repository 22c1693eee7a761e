import { CircleAlert, Info, SearchX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { OperatorHelp } from "@/components/search/operator-help";
import { QueryChips } from "@/components/search/query-chips";
import { ResultKeys } from "@/components/search/result-keys";
import { SearchResultRow } from "@/components/search/search-result-row";
import { Segmented } from "@/components/search/segmented";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { readSearchParams, searchHref } from "@/lib/search/search-params";
import { searchOrgMail } from "@/lib/search/search-org-mail";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { withoutRowLevelSecurity } from "@/lib/tenancy/run-as-org";

export async function generateMetadata(props: PageProps<"/[slug]/search">): Promise<Metadata> {
  const { q } = readSearchParams(await props.searchParams);
  return { title: q ? `${q} – Search` : "Search" };
}

export default async function SearchPage(props: PageProps<"/[slug]/search">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const params = readSearchParams(await props.searchParams);
  const outcome = await withoutRowLevelSecurity(
    "Full-text and substring conditions cannot use their indexes under row-level security; the search SQL filters by organisation.",
    (db) => searchOrgMail(db, ctx, params),
  );
  const href = (change: Parameters<typeof searchHref>[2]) => searchHref(slug, params, change);

  if (outcome.status === "empty") {
    return (
      <>
        <PageHeader title="Search" description="Every linked mailbox of the organisation, as far as each one is shared with you." />
        <OperatorHelp intro="Type in the search box at the top (press / to get there). Combine words with operators:" />
      </>
    );
  }

  if (outcome.status === "invalid") {
    return (
      <>
        <PageHeader title="Search" />
        <div role="alert" className="mb-5 flex items-start gap-3 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3" data-testid="search-error">
          <CircleAlert className="mt-0.5 size-4 shrink-0 text-danger" />
          <div className="min-w-0">
            <p className="font-medium text-ink">This search could not be read</p>
            <p className="mt-0.5 text-ink-muted">{outcome.message}</p>
            <p className="mt-2 font-mono text-[12px] break-all text-ink-muted">
              {params.q.slice(0, outcome.at)}
              <span className="rounded bg-danger/15 text-danger">{params.q.slice(outcome.at) || " "}</span>
            </p>
          </div>
        </div>
        <OperatorHelp intro="Operators you can use:" />
      </>
    );
  }

  const unit = params.group === "threads" ? ["conversation", "conversations"] : ["message", "messages"];
  const first = (outcome.page - 1) * outcome.pageSize + 1;
  const last = first + outcome.results.length - 1;
  const hasNext = last < outcome.total || (outcome.totalCapped && outcome.results.length === outcome.pageSize);
  // Only the newest matches are counted (lib/search/search-messages.ts, MATCH_WINDOW): "200+".
  const count = `${outcome.total.toLocaleString("en-US")}${outcome.totalCapped ? "+" : ""}`;

  return (
    <>
      <PageHeader
        title="Search"
        description={
          <span data-testid="search-count" className="tabular-nums">
            {outcome.total === 0
              ? "No matches"
              : `${count} ${outcome.total === 1 && !outcome.totalCapped ? unit[0] : unit[1]}${outcome.total > outcome.results.length ? ` · showing ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")}` : ""}`}
          </span>
        }
      />
      <QueryChips slug={slug} params={params} clauses={outcome.clauses} />
      {outcome.warnings.length ? (
        <ul className="mb-4 flex flex-col gap-1" data-testid="search-warnings">
          {outcome.warnings.map((warning) => (
            <li key={warning} className="flex items-center gap-2 text-[12px] text-ink-muted">
              <Info className="size-3.5 shrink-0 text-warn" /> {warning}
            </li>
          ))}
        </ul>
      ) : null}

      <div className="mb-3 flex items-center justify-between gap-3">
        <Segmented
          label="Show"
          options={[
            { label: "Conversations", href: href({ group: "threads", page: 1 }), active: params.group === "threads" },
            { label: "Messages", href: href({ group: "messages", page: 1 }), active: params.group === "messages" },
          ]}
        />
        <Segmented
          label="Sort"
          options={[
            {
              label: "Most relevant",
              href: href({ sort: "relevance", page: 1 }),
              active: outcome.sort === "relevance",
              disabled: outcome.sort === "newest" && params.sort === "relevance" ? "Relevance needs words to rank by; operator-only searches are newest first." : undefined,
            },
            { label: "Newest", href: href({ sort: "newest", page: 1 }), active: outcome.sort === "newest" },
          ]}
        />
      </div>

      {outcome.results.length === 0 ? (
        <EmptyState
          icon={SearchX}
          title={`No results for “${params.q}”`}
          action={
            outcome.clauses.length > 1 ? (
              <Button asChild size="sm">
                <Link href={href({ q: outcome.clauses[0]!.text, page: 1 })}>Search only “{outcome.clauses[0]!.text}”</Link>
              </Button>
            ) : undefined
          }
        >
          {outcome.page > 1
            ? "This page is past the last result."
            : "Nothing you can see matches every term. Remove a filter above, check the spelling, or search fewer words."}
        </EmptyState>
      ) : (
        <ResultKeys>
          <ol className="overflow-hidden rounded-lg border border-line bg-panel" data-testid="search-results">
            {outcome.results.map((result) => (
              <SearchResultRow key={result.id} slug={slug} result={result} showMatches={params.group === "threads"} />
            ))}
          </ol>
        </ResultKeys>
      )}

      {outcome.page > 1 || hasNext ? (
        <nav className="mt-4 flex items-center justify-between text-[12px] text-ink-muted" aria-label="Pages">
          <span className="tabular-nums">
            Page {outcome.page} of {Math.max(1, Math.ceil(outcome.total / outcome.pageSize)).toLocaleString("en-US")}
            {outcome.totalCapped ? "+" : ""}
          </span>
          <div className="flex gap-2">
            {outcome.page > 1 ? (
              <Button asChild size="sm">
                <Link href={href({ page: outcome.page - 1 })} rel="prev">
                  Previous
                </Link>
              </Button>
            ) : null}
            {hasNext ? (
              <Button asChild size="sm">
                <Link href={href({ page: outcome.page + 1 })} rel="next">
                  Next
                </Link>
              </Button>
            ) : null}
          </div>
        </nav>
      ) : null}
      <p className="mt-4 text-[11px] text-ink-faint">
        <kbd className="rounded border border-line bg-panel px-1 font-mono">j</kbd> / <kbd className="rounded border border-line bg-panel px-1 font-mono">k</kbd> move ·{" "}
        <kbd className="rounded border border-line bg-panel px-1 font-mono">Enter</kbd> opens · <kbd className="rounded border border-line bg-panel px-1 font-mono">/</kbd> edits the search
      </p>
    </>
  );
}
