"use client";

import { ChevronsDownUp, ChevronsUpDown } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { toast } from "sonner";
import { actionErrorMessage } from "@/components/ui/action-error";
import type { Conversation } from "@/lib/conversations/get-conversation";
import type { ActionError } from "@/lib/safe-action";
import { KeyboardList } from "./keyboard-list";
import { MessageCard } from "./message-card";

/**
 * The messages of a conversation, oldest first. The newest (or the one named in the URL's
 * #message-<id>) starts open, the rest collapsed. j / k move between messages, Enter opens or
 * closes one, Esc goes back. Remote images load per message ("Show images") or for every message
 * of a sender the reader trusts ("Always from …", remembered).
 */
export type SetSenderImages = (input: { slug: string; messageId: string; allow: boolean }) => Promise<{ serverError?: ActionError; validationErrors?: unknown } | undefined>;

export function ConversationView({
  slug,
  conversation,
  backHref,
  setSenderImages,
}: {
  slug: string;
  conversation: Conversation;
  backHref: string;
  setSenderImages: SetSenderImages;
}) {
  const router = useRouter();
  const last = conversation.messages.at(-1)?.id;
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(last ? [last] : []));
  const [imagesShown, setImagesShown] = useState<Set<string>>(() => new Set(conversation.messages.filter((m) => m.senderImagesAllowed).map((m) => m.id)));
  const [trustPending, startTrust] = useTransition();

  useEffect(() => {
    const target = /^#message-([0-9a-f-]{36})$/.exec(window.location.hash)?.[1];
    if (!target || !conversation.messages.some((m) => m.id === target)) return;
    const frame = requestAnimationFrame(() => {
      setExpanded((current) => new Set([...current, target]));
      requestAnimationFrame(() => document.getElementById(`message-${target}`)?.scrollIntoView({ block: "start" }));
    });
    return () => cancelAnimationFrame(frame);
  }, [conversation.messages]);

  const allOpen = expanded.size === conversation.messages.length;
  const mailboxes = new Set(conversation.messages.map((m) => m.account.id)).size;
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const senders = useMemo(() => new Map(conversation.messages.map((m) => [m.id, m.from?.email ?? null])), [conversation.messages]);
  const trustSender = (messageId: string) =>
    startTrust(async () => {
      const result = await setSenderImages({ slug, messageId, allow: true });
      const error = actionErrorMessage(result);
      if (error) {
        toast.error(error);
        return;
      }
      const sender = senders.get(messageId);
      setImagesShown((current) => new Set([...current, ...conversation.messages.filter((m) => m.from?.email === sender).map((m) => m.id)]));
      toast.success(`Images from ${sender} will always load.`);
      router.refresh();
    });

  return (
    <div>
      {conversation.messages.length > 1 ? (
        <div className="mb-2 flex justify-end">
          <button
            type="button"
            onClick={() => setExpanded(allOpen ? new Set(last ? [last] : []) : new Set(conversation.messages.map((m) => m.id)))}
            className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[12px] text-ink-muted hover:bg-hover hover:text-ink"
          >
            {allOpen ? <ChevronsDownUp className="size-3.5" /> : <ChevronsUpDown className="size-3.5" />}
            {allOpen ? "Collapse all" : "Expand all"}
          </button>
        </div>
      ) : null}
      <KeyboardList backHref={backHref} className="flex flex-col gap-2">
        {conversation.messages.map((message) => (
          <MessageCard
            key={message.id}
            slug={slug}
            message={message}
            expanded={expanded.has(message.id)}
            onToggle={() => toggle(message.id)}
            imagesShown={imagesShown.has(message.id)}
            onShowImages={() => setImagesShown((current) => new Set([...current, message.id]))}
            onTrustSender={() => trustSender(message.id)}
            trustPending={trustPending}
            showAccount={mailboxes > 1}
          />
        ))}
      </KeyboardList>
    </div>
  );
}
