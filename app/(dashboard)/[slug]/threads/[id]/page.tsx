import { Inbox, Users } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/mail/back-link";
import { ConversationView } from "@/components/mail/conversation-view";
import { personLabel } from "@/components/mail/format";
import { HiddenNote } from "@/components/mail/hidden-note";
import { getConversation } from "@/lib/conversations/get-conversation";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";
import { setSenderImagesAction } from "../actions";

export const metadata: Metadata = { title: "Conversation" };

export default async function ThreadPage(props: PageProps<"/[slug]/threads/[id]">) {
  const { slug, id } = await props.params;
  const ctx = await getOrgContext(slug);
  const conversation = await runAsOrg(ctx, (db) => getConversation(db, ctx, id));
  if (!conversation) notFound();
  const accounts = [...new Map(conversation.messages.map((m) => [m.account.id, m.account.emailAddress])).values()];

  return (
    <div className="mx-auto max-w-[860px]">
      <div className="mb-4">
        <BackLink fallback={`/${slug}`} />
        <h1 className="text-[20px] leading-7 font-semibold tracking-[-0.01em] text-ink" data-testid="thread-subject">
          {conversation.subject ?? (conversation.access === "metadata" ? <HiddenNote className="text-[15px]">Subject hidden</HiddenNote> : "(no subject)")}
        </h1>
        <p className="mt-1.5 flex flex-wrap items-center gap-x-4 gap-y-1 text-[12px] text-ink-muted">
          <span className="inline-flex items-center gap-1" title={conversation.participants.map((p) => p.email).join(", ")}>
            <Users className="size-3.5" />
            {conversation.participants
              .slice(0, 5)
              .map((p) => personLabel(p))
              .join(", ")}
            {conversation.participants.length > 5 ? ` +${conversation.participants.length - 5}` : ""}
          </span>
          <span className="tabular-nums">
            {conversation.messageCount} {conversation.messageCount === 1 ? "message" : "messages"}
          </span>
          <span className="inline-flex items-center gap-1">
            <Inbox className="size-3.5" /> {accounts.join(", ")}
          </span>
        </p>
      </div>
      <ConversationView slug={slug} conversation={conversation} backHref={`/${slug}`} setSenderImages={setSenderImagesAction} />
    </div>
  );
}
