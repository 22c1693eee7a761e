"use client";

import { AlertTriangle, Code2, Download, ImageOff, Inbox, Paperclip } from "lucide-react";
import { type KeyboardEvent, type ReactNode, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { cn } from "@/components/ui/cn";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ConversationAddress, ConversationMessage } from "@/lib/conversations/get-conversation";
import { AttachmentList } from "./attachment-list";
import { personLabel } from "./format";
import { HiddenNote } from "./hidden-note";
import { MailFrame } from "./mail-frame";
import { MessageHeadersPanel } from "./message-headers-panel";
import { PlainTextBody } from "./plain-text-body";

type Props = {
  slug: string;
  message: ConversationMessage;
  expanded: boolean;
  onToggle: () => void;
  imagesShown: boolean;
  onShowImages: () => void;
  onTrustSender: () => void;
  trustPending: boolean;
  // Say which mailbox this copy comes from (when the conversation spans several).
  showAccount: boolean;
};

/**
 * One message of a conversation. Collapsed: sender, snippet, date (click or Enter to open).
 * Expanded: addresses, the body (sanitised HTML in the sandboxed frame, or plain text), remote
 * images behind a bar until allowed, attachments, headers on demand, the raw source of a message
 * that failed to parse. What it shows follows the viewer's access to the message's mailbox.
 */
export function MessageCard(props: Props) {
  const { slug, message, expanded } = props;
  const [showHeaders, setShowHeaders] = useState(false);
  const [plain, setPlain] = useState(false);
  const sender = message.from ? personLabel(message.from) : "Unknown sender";
  const onKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === "Enter" && event.target === event.currentTarget) {
      event.preventDefault();
      props.onToggle();
    }
  };

  return (
    <article
      id={`message-${message.id}`}
      data-row
      tabIndex={0}
      onKeyDown={onKey}
      data-expanded={expanded}
      data-testid="message"
      data-message-id={message.id}
      className={cn(
        "scroll-mt-4 rounded-lg border border-line bg-panel outline-none transition-shadow focus-visible:ring-2 focus-visible:ring-accent/40",
        expanded ? "shadow-sm shadow-black/[0.04]" : "hover:border-line-strong",
      )}
    >
      <header
        className={cn("flex cursor-pointer items-start gap-3 px-4", expanded ? "pt-3.5 pb-2" : "py-2.5")}
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("a,button")) return;
          props.onToggle();
        }}
      >
        <Avatar name={message.from ? message.from.name || message.from.email : "?"} size={expanded ? 32 : 26} className="mt-0.5" />
        <div className="min-w-0 flex-1">
          <div className="flex items-baseline gap-2">
            <span className="truncate text-[13px] font-semibold text-ink" title={message.from?.email}>
              {sender}
            </span>
            {expanded && message.from?.name ? <span className="hidden truncate text-[12px] text-ink-muted sm:inline">&lt;{message.from.email}&gt;</span> : null}
            <span className="flex-1" />
            {!expanded && message.attachments.length ? <Paperclip className="size-3.5 shrink-0 text-ink-faint" aria-label="Has attachments" /> : null}
            {message.at ? <RelativeTime date={message.at} className="shrink-0 text-[12px] text-ink-muted tabular-nums" /> : null}
          </div>
          {expanded ? (
            <Recipients message={message} />
          ) : (
            <p className="truncate text-[13px] text-ink-muted">
              {message.access === "full" ? message.snippet || "(no text)" : <HiddenNote>{message.access === "subject" ? message.subject || "Contents hidden" : "Contents hidden"}</HiddenNote>}
            </p>
          )}
        </div>
      </header>

      {expanded ? (
        <div className="px-4 pb-4 pl-[60px]">
          <Toolbar>
            {props.showAccount ? (
              <span className="inline-flex items-center gap-1 text-ink-faint" title="The mailbox this copy comes from">
                <Inbox className="size-3" /> {message.account.emailAddress}
              </span>
            ) : null}
            <span className="flex-1" />
            {message.access === "full" && message.html && message.textBody ? (
              <ToolbarButton onClick={() => setPlain((v) => !v)} pressed={plain}>
                {plain ? "Formatted" : "Plain text"}
              </ToolbarButton>
            ) : null}
            <ToolbarButton onClick={() => setShowHeaders((v) => !v)} pressed={showHeaders} testId="toggle-headers">
              <Code2 className="size-3" /> Headers
            </ToolbarButton>
          </Toolbar>
          {showHeaders ? <MessageHeadersPanel slug={slug} messageId={message.id} /> : null}

          {message.parseError ? <ParseErrorBanner slug={slug} message={message} /> : null}

          {message.access !== "full" ? (
            <div className="mt-2 rounded-md border border-dashed border-line-strong bg-sunken/60 px-3 py-3 text-[13px] text-ink-muted" data-testid="contents-hidden">
              {message.access === "subject" && message.subject ? <p className="mb-1 font-medium text-ink">{message.subject}</p> : null}
              <HiddenNote>
                {message.access === "subject"
                  ? `${message.account.emailAddress} shares subjects only: the message text stays with its owner.`
                  : `${message.account.emailAddress} shares who and when only: subject and text stay with its owner.`}
              </HiddenNote>
            </div>
          ) : (
            <>
              {message.html && !plain && message.html.remoteImages > 0 && !props.imagesShown ? (
                <div className="mt-2 flex flex-wrap items-center gap-2 rounded-md border border-line bg-sunken px-3 py-1.5 text-[12px] text-ink-muted" data-testid="remote-images-bar">
                  <ImageOff className="size-3.5 shrink-0" />
                  <span className="mr-auto">
                    {message.html.remoteImages === 1 ? "1 remote image is" : `${message.html.remoteImages} remote images are`} blocked to protect your privacy.
                  </span>
                  <button type="button" onClick={props.onShowImages} className="rounded px-1.5 py-0.5 font-medium text-accent hover:bg-accent-soft" data-testid="show-images">
                    Show images
                  </button>
                  {message.from ? (
                    <button
                      type="button"
                      onClick={props.onTrustSender}
                      disabled={props.trustPending}
                      className="rounded px-1.5 py-0.5 font-medium text-accent hover:bg-accent-soft disabled:opacity-50"
                      data-testid="always-show-images"
                    >
                      Always from {message.from.email}
                    </button>
                  ) : null}
                </div>
              ) : null}
              <div className="mt-3">
                {message.html && !plain ? (
                  <MailFrame
                    src={`/api/orgs/${slug}/messages/${message.id}/body${props.imagesShown ? "?images=1" : ""}`}
                    title={`Message from ${sender}`}
                    estimatedHeight={message.html.estimatedHeight}
                  />
                ) : message.textBody ? (
                  <PlainTextBody text={message.textBody} />
                ) : (
                  <p className="text-[13px] text-ink-faint italic">This message has no text.</p>
                )}
              </div>
              <AttachmentList slug={slug} messageId={message.id} attachments={message.attachments} />
            </>
          )}
        </div>
      ) : null}
    </article>
  );
}

function Recipients({ message }: { message: ConversationMessage }) {
  const list = (people: ConversationAddress[]) => people.map((p) => personLabel(p)).join(", ");
  const parts = [
    message.to.length ? `to ${list(message.to)}` : null,
    message.cc.length ? `cc ${list(message.cc)}` : null,
    message.bcc.length ? `bcc ${list(message.bcc)}` : null,
  ].filter(Boolean);
  const all = [...message.to, ...message.cc, ...message.bcc].map((p) => (p.name ? `${p.name} <${p.email}>` : p.email)).join(", ");
  return (
    <p className="truncate text-[12px] text-ink-muted" title={all}>
      {parts.join(" · ") || "no recipients"}
    </p>
  );
}

function ParseErrorBanner({ slug, message }: { slug: string; message: ConversationMessage }) {
  return (
    <div className="mt-2 flex items-start gap-2 rounded-md border border-warn/30 bg-warn/[0.07] px-3 py-2 text-[12.5px]" data-testid="parse-error" role="note">
      <AlertTriangle className="mt-0.5 size-3.5 shrink-0 text-warn" />
      <div className="min-w-0 flex-1">
        <p className="font-medium text-ink">This message could not be read completely.</p>
        <p className="mt-0.5 break-words text-ink-muted">
          What was readable is shown below. Details: {message.parseError}
          {message.raw.truncated ? " (only the beginning of the source was kept)" : ""}
        </p>
      </div>
      {message.raw.stored ? (
        <a
          href={`/api/orgs/${slug}/messages/${message.id}/raw`}
          download
          className="inline-flex shrink-0 items-center gap-1 rounded-md border border-line-strong bg-panel px-2 py-1 text-[12px] font-medium text-ink hover:bg-hover"
          data-testid="download-raw"
        >
          <Download className="size-3" /> Raw source
        </a>
      ) : null}
    </div>
  );
}

function Toolbar({ children }: { children: ReactNode }) {
  return <div className="flex flex-wrap items-center gap-1 text-[11.5px]">{children}</div>;
}

function ToolbarButton({ children, onClick, pressed, testId }: { children: ReactNode; onClick: () => void; pressed?: boolean; testId?: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={pressed}
      data-testid={testId}
      className={cn("inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-ink-muted hover:bg-hover hover:text-ink", pressed && "bg-selected text-ink")}
    >
      {children}
    </button>
  );
}
