import { OPERATOR_HELP } from "@/lib/search/parse-search-query";

/** The operator cheat sheet: shown for an empty search and under a search that could not be read. */
export function OperatorHelp({ intro }: { intro: string }) {
  return (
    <section className="rounded-lg border border-line bg-panel" data-testid="operator-help">
      <p className="border-b border-line px-4 py-3 text-ink-muted">{intro}</p>
      <dl className="grid grid-cols-[minmax(180px,auto)_1fr] text-[13px]">
        {OPERATOR_HELP.map((item) => (
          <div key={item.example} className="contents">
            <dt className="border-b border-line px-4 py-2 font-mono text-[12px] whitespace-nowrap text-ink">{item.example}</dt>
            <dd className="border-b border-line px-4 py-2 text-ink-muted">{item.meaning}</dd>
          </div>
        ))}
      </dl>
      <p className="px-4 py-3 text-[12px] text-ink-faint">
        Words match subjects, names, addresses and message text, stemmed (“reports” finds “report”). Quote a phrase to keep its words together.
      </p>
    </section>
  );
}
