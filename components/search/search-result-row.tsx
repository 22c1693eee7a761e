import { EyeOff, Paperclip } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Avatar } from "@/components/ui/avatar";
import { RelativeTime } from "@/components/ui/relative-time";
import type { SearchResult } from "@/lib/search/search-messages";
import { HighlightedText } from "./highlighted-text";

/** One hit: sender, subject and body excerpt with the matches marked, mailbox, date. */
export function SearchResultRow({ slug, result, showMatches }: { slug: string; result: SearchResult; showMatches: boolean }) {
  const sender = result.fromName || result.fromAddress || "Unknown sender";
  const href = result.threadId ? `/${slug}/threads/${result.threadId}#message-${result.id}` : null;
  const body = (
    <>
      <Avatar name={sender} size={28} className="mt-0.5" />
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline gap-2">
          <span className="truncate font-medium text-ink" title={result.fromAddress ?? undefined}>
            {sender}
          </span>
          {showMatches && result.matches > 1 ? (
            <span className="shrink-0 rounded bg-sunken px-1.5 text-[11px] font-medium text-ink-muted tabular-nums" title="Matching messages in this conversation">
              {result.matches} matches
            </span>
          ) : null}
          <span className="min-w-0 flex-1 truncate text-[12px] text-ink-faint">{result.accountAddress}</span>
          {result.hasAttachments ? <Paperclip className="size-3.5 shrink-0 text-ink-faint" aria-label="Has attachments" /> : null}
          {result.sentAt ? <RelativeTime date={result.sentAt} className="shrink-0 text-[12px] text-ink-muted tabular-nums" /> : null}
        </div>
        <p className="mt-0.5 truncate text-ink" data-testid="search-subject">
          {result.access === "metadata" ? (
            <Hidden>Subject hidden: this mailbox shares who and when only</Hidden>
          ) : result.subjectHighlight.length ? (
            <HighlightedText segments={result.subjectHighlight} />
          ) : (
            <span className="text-ink-muted">(no subject)</span>
          )}
        </p>
        <p className="mt-0.5 line-clamp-2 text-[12.5px] leading-[18px] text-ink-muted" data-testid="search-snippet">
          {result.access === "full" ? <HighlightedText segments={result.highlight} /> : result.access === "subject" ? <Hidden>Message text hidden: this mailbox shares subjects only</Hidden> : null}
        </p>
      </div>
    </>
  );
  const className = "flex gap-3 px-4 py-3 outline-none transition-colors hover:bg-hover/50 focus-visible:bg-accent-soft/60 focus-visible:outline-none";
  return (
    <li className="border-b border-line last:border-0" data-testid="search-result">
      {href ? (
        <Link href={href} className={className} data-result>
          {body}
        </Link>
      ) : (
        <div className={className} tabIndex={0} data-result>
          {body}
        </div>
      )}
    </li>
  );
}

function Hidden({ children }: { children: ReactNode }) {
  return (
    <span className="inline-flex items-center gap-1 text-[12px] text-ink-faint italic">
      <EyeOff className="size-3" /> {children}
    </span>
  );
}
