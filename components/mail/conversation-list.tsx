import { Paperclip } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Avatar } from "@/components/ui/avatar";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ConversationSummary } from "@/lib/conversations/list-conversations";
import { personLabel } from "./format";
import { HiddenNote } from "./hidden-note";
import { KeyboardList } from "./keyboard-list";

/**
 * Conversations as dense two-line rows (people, count, mailbox, date; subject and snippet), each
 * opening the thread. j / k move, Enter opens, Esc goes back to `backHref`. What a row shows follows
 * the viewer's access (visibility.ts): hidden subjects and snippets say so instead of vanishing.
 */
export function ConversationList({
  slug,
  items,
  backHref,
  empty,
  showAccount = true,
  testId = "conversation-list",
}: {
  slug: string;
  items: ConversationSummary[];
  backHref?: string;
  empty?: ReactNode;
  showAccount?: boolean;
  testId?: string;
}) {
  if (!items.length) return <>{empty ?? null}</>;
  // One mailbox behind every row says nothing: show the mailbox only when rows differ.
  const mailboxes = new Set(items.flatMap((item) => item.accounts.map((a) => a.id)));
  return (
    <KeyboardList backHref={backHref}>
      <ul data-testid={testId} className="divide-y divide-line">
        {items.map((item) => (
          <li key={item.threadId}>
            <ConversationRow slug={slug} item={item} showAccount={showAccount && mailboxes.size > 1} />
          </li>
        ))}
      </ul>
    </KeyboardList>
  );
}

function ConversationRow({ slug, item, showAccount }: { slug: string; item: ConversationSummary; showAccount: boolean }) {
  const others = item.participants.filter((p) => !p.own);
  const lead = others[0] ?? item.participants[0];
  const names = orderedNames(item);
  return (
    <Link
      href={`/${slug}/threads/${item.threadId}`}
      data-row
      data-testid="conversation-row"
      data-thread-id={item.threadId}
      className="group flex gap-3 px-4 py-2.5 outline-none transition-colors hover:bg-hover/60 focus-visible:bg-accent-soft/70"
    >
      <Avatar name={lead ? lead.name || lead.email : "?"} size={28} className="mt-0.5" />
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2">
          <span className="min-w-0 truncate text-[13px] font-medium text-ink" title={item.participants.map((p) => p.email).join(", ")}>
            {names}
          </span>
          {item.messageCount > 1 ? (
            <span className="shrink-0 rounded bg-sunken px-1 text-[11px] font-medium text-ink-muted tabular-nums" title={`${item.messageCount} messages`}>
              {item.messageCount}
            </span>
          ) : null}
          <span className="flex-1" />
          {item.hasAttachments ? <Paperclip className="size-3.5 shrink-0 text-ink-faint" aria-label="Has attachments" /> : null}
          {showAccount && item.accounts.length ? (
            <span className="hidden max-w-[180px] shrink-0 truncate rounded border border-line px-1.5 text-[11px] text-ink-faint sm:inline" title="Mailbox">
              {item.accounts.map((a) => a.emailAddress).join(", ")}
            </span>
          ) : null}
          {item.lastAt ? <RelativeTime date={item.lastAt} className="min-w-16 shrink-0 text-right text-[12px] text-ink-muted tabular-nums" /> : null}
        </div>
        <p className="mt-0.5 truncate text-[13px] leading-5">
          {item.access === "metadata" ? (
            <HiddenNote>Subject hidden: this mailbox shares who and when only</HiddenNote>
          ) : (
            <>
              <span className="text-ink" data-testid="conversation-subject">
                {item.subject || <span className="text-ink-muted">(no subject)</span>}
              </span>
              {item.access === "full" && item.snippet ? <span className="text-ink-faint"> — {item.snippet}</span> : null}
              {item.access === "subject" ? <HiddenNote className="ml-2">text hidden</HiddenNote> : null}
            </>
          )}
        </p>
      </div>
    </Link>
  );
}

// "Bob Sender, Carol, me" — correspondents first, the team's own mailboxes last.
function orderedNames(item: ConversationSummary): string {
  const sorted = [...item.participants].sort((a, b) => Number(a.own) - Number(b.own));
  const labels = [...new Set(sorted.map((p) => personLabel(p, p.own)))];
  const shown = labels.slice(0, 3).join(", ");
  return labels.length > 3 ? `${shown} +${labels.length - 3}` : shown || "Unknown";
}
