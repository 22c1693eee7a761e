import { Building2, Inbox, Mail, MessagesSquare } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProfileHeader, RailPanel } from "@/components/contacts/profile-header";
import { TimelinePager } from "@/components/contacts/timeline-pager";
import { ConversationList } from "@/components/mail/conversation-list";
import { formatCount } from "@/components/mail/format";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { getContactTimeline } from "@/lib/timeline/get-contact-timeline";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";

export const metadata: Metadata = { title: "Contact" };

export default async function ContactPage(props: PageProps<"/[slug]/contacts/[id]">) {
  const { slug, id } = await props.params;
  const ctx = await getOrgContext(slug);
  const page = Number((await props.searchParams).page) || 1;
  const timeline = await getContactTimeline((work) => runAsOrg(ctx, work), ctx, id, { page });
  if (!timeline) notFound();
  const { contact, conversations } = timeline;
  const displayName = contact.name || contact.email.split("@")[0]!;

  return (
    <>
      <ProfileHeader
        avatarName={contact.name || contact.email}
        title={displayName}
        badges={contact.isBulk ? <Badge>Newsletter / automated</Badge> : null}
        subtitle={
          <>
            <a href={`mailto:${contact.email}`} className="inline-flex items-center gap-1 hover:text-ink" data-testid="contact-email">
              <Mail className="size-3.5" /> {contact.email}
            </a>
            {contact.company ? (
              <Link href={`/${slug}/companies/${contact.company}`} className="inline-flex items-center gap-1 hover:text-ink" data-testid="contact-company">
                <Building2 className="size-3.5" /> {contact.company}
              </Link>
            ) : null}
          </>
        }
        figures={[
          { label: "Conversations", value: contact.threadCount },
          { label: "Messages", value: contact.messageCount },
          { label: "First contact", value: contact.firstSeenAt },
          { label: "Last contact", value: contact.lastSeenAt },
        ]}
      />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_260px]">
        <section className="min-w-0 self-start overflow-hidden rounded-lg border border-line bg-panel">
          <h2 className="flex h-10 items-center gap-2 border-b border-line px-4 text-[13px] font-medium text-ink">
            <MessagesSquare className="size-4 text-ink-faint" strokeWidth={1.75} />
            Conversations
            <span className="text-ink-faint tabular-nums">{formatCount(conversations.total)}</span>
          </h2>
          <ConversationList
            slug={slug}
            items={conversations.items}
            backHref={`/${slug}/contacts`}
            testId="contact-timeline"
            empty={
              <div className="p-4">
                <EmptyState icon={Inbox} title="No conversations on this page">
                  Go back to the newest conversations.
                </EmptyState>
              </div>
            }
          />
          <TimelinePager basePath={`/${slug}/contacts/${contact.id}`} page={timeline.page} hasMore={conversations.hasMore} />
        </section>
        <aside className="flex flex-col gap-4">
          <RailPanel title="Seen in mailboxes" testId="contact-accounts">
            <ul className="space-y-1.5">
              {contact.accounts.map((account) => (
                <li key={account.id} className="flex items-center gap-2 text-[13px]">
                  <Inbox className="size-3.5 shrink-0 text-ink-faint" />
                  <span className="min-w-0 flex-1 truncate text-ink">{account.emailAddress}</span>
                  <span className="text-[12px] text-ink-muted tabular-nums">{formatCount(account.messages)}</span>
                </li>
              ))}
            </ul>
          </RailPanel>
          {contact.otherNames.length ? (
            <RailPanel title="Also signs as">
              <ul className="space-y-1 text-[13px] text-ink">
                {contact.otherNames.map((name) => (
                  <li key={name} className="truncate">
                    {name}
                  </li>
                ))}
              </ul>
            </RailPanel>
          ) : null}
          {contact.company ? (
            <RailPanel title="Company">
              <Link href={`/${slug}/companies/${contact.company}`} className="flex items-center gap-2 text-[13px] text-ink hover:underline">
                <Building2 className="size-3.5 text-ink-faint" /> Everyone at {contact.company}
              </Link>
            </RailPanel>
          ) : null}
          <p className="px-1 text-[11px] text-ink-faint">
            <kbd className="rounded border border-line px-1 font-mono">Esc</kbd> back to contacts
          </p>
        </aside>
      </div>
    </>
  );
}
