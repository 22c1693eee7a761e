import type { HighlightSegment } from "@/lib/search/search-highlights";

/** ts_headline output as React text nodes: matches in <mark>, nothing from the mail parsed as HTML. */
export function HighlightedText({ segments, className }: { segments: HighlightSegment[]; className?: string }) {
  return (
    <span className={className}>
      {segments.map((segment, i) =>
        segment.match ? (
          <mark key={i} className="rounded-[3px] bg-warn/20 px-[1px] text-ink" data-testid="search-match">
            {segment.text}
          </mark>
        ) : (
          <span key={i}>{segment.text}</span>
        ),
      )}
    </span>
  );
}
