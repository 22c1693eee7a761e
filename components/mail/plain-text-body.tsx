import { plainTextBlocks } from "@/lib/render/plain-text-blocks";

/**
 * A plain-text body: links detected (new tab, no opener, no referrer), quoted replies and the
 * signature collapsed behind "•••". Rendered as React text, never as HTML.
 */
export function PlainTextBody({ text }: { text: string }) {
  const blocks = plainTextBlocks(text);
  return (
    <div className="text-[14px] leading-[1.65] break-words whitespace-pre-wrap text-ink" data-testid="plain-text-body">
      {blocks.map((block, i) => {
        const content = block.segments.map((segment, j) =>
          "href" in segment ? (
            <a key={j} href={segment.href} target="_blank" rel="noopener noreferrer" className="text-accent underline decoration-accent/30 underline-offset-2 hover:decoration-accent">
              {segment.text}
            </a>
          ) : (
            <span key={j}>{segment.text}</span>
          ),
        );
        if (block.kind === "text") return <div key={i}>{content}</div>;
        return (
          <details key={i} className="group/quote my-1.5">
            <summary
              className="inline-flex cursor-pointer list-none items-center rounded-lg border border-line bg-sunken px-2 text-[11px] leading-4 tracking-widest text-ink-muted select-none hover:bg-hover [&::-webkit-details-marker]:hidden"
              title={block.kind === "quote" ? "Show quoted text" : "Show signature"}
            >
              •••
            </summary>
            <div className={block.kind === "quote" ? "mt-1.5 border-l-2 border-line-strong pl-3 text-ink-muted" : "mt-1.5 text-ink-muted"}>{content}</div>
          </details>
        );
      })}
    </div>
  );
}
