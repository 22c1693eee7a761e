import { Globe, Inbox, MessagesSquare, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProfileHeader, RailPanel } from "@/components/contacts/profile-header";
import { TimelinePager } from "@/components/contacts/timeline-pager";
import { ConversationList } from "@/components/mail/conversation-list";
import { formatCount } from "@/components/mail/format";
import { Avatar } from "@/components/ui/avatar";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { getCompanyTimeline } from "@/lib/timeline/get-company-timeline";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";

export const metadata: Metadata = { title: "Company" };

export default async function CompanyPage(props: PageProps<"/[slug]/companies/[domain]">) {
  const { slug, domain } = await props.params;
  const ctx = await getOrgContext(slug);
  const page = Number((await props.searchParams).page) || 1;
  const timeline = await getCompanyTimeline((work) => runAsOrg(ctx, work), ctx, decodeURIComponent(domain), { page });
  if (!timeline) notFound();
  const { company, people, conversations } = timeline;

  return (
    <>
      <ProfileHeader
        avatarName={company.domain}
        square
        title={company.domain}
        subtitle={
          <>
            <span className="inline-flex items-center gap-1">
              <Globe className="size-3.5" /> Everyone with an @{company.domain} address
            </span>
          </>
        }
        figures={[
          { label: "People", value: company.people },
          { label: "Messages", value: company.messages },
          { label: "First contact", value: company.firstSeenAt },
          { label: "Last contact", value: company.lastSeenAt },
        ]}
      />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_280px]">
        <section className="min-w-0 self-start overflow-hidden rounded-lg border border-line bg-panel">
          <h2 className="flex h-10 items-center gap-2 border-b border-line px-4 text-[13px] font-medium text-ink">
            <MessagesSquare className="size-4 text-ink-faint" strokeWidth={1.75} />
            Conversations with {company.domain}
            <span className="text-ink-faint tabular-nums">{formatCount(conversations.total)}</span>
          </h2>
          <ConversationList
            slug={slug}
            items={conversations.items}
            backHref={`/${slug}/companies`}
            testId="company-timeline"
            empty={
              <div className="p-4">
                <EmptyState icon={Inbox} title="No conversations on this page" />
              </div>
            }
          />
          <TimelinePager basePath={`/${slug}/companies/${company.domain}`} page={timeline.page} hasMore={conversations.hasMore} />
        </section>
        <aside>
          <RailPanel title={`People (${formatCount(people.total)})`} testId="company-people">
            <ul className="-mx-2 space-y-0.5">
              {people.rows.map((person) => (
                <li key={person.id}>
                  <Link href={`/${slug}/contacts/${person.id}`} className="flex items-center gap-2 rounded-md px-2 py-1.5 hover:bg-hover" data-testid="company-person">
                    <Avatar name={person.name || person.email} size={24} />
                    <span className="min-w-0 flex-1">
                      <span className="block truncate text-[13px] font-medium text-ink">{person.name || person.email.split("@")[0]}</span>
                      <span className="block truncate text-[11px] text-ink-muted">{person.email}</span>
                    </span>
                    <span className="shrink-0 text-right text-[11px] text-ink-faint tabular-nums">
                      {formatCount(person.messageCount)}
                      {person.lastSeenAt ? (
                        <>
                          <br />
                          <RelativeTime date={person.lastSeenAt} />
                        </>
                      ) : null}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
            {people.total > people.rows.length ? (
              <Link href={`/${slug}/contacts?q=${encodeURIComponent(`@${company.domain}`)}`} className="mt-2 inline-flex items-center gap-1 text-[12px] font-medium text-accent hover:underline">
                <Users className="size-3.5" /> All {formatCount(people.total)} people
              </Link>
            ) : null}
          </RailPanel>
        </aside>
      </div>
    </>
  );
}
