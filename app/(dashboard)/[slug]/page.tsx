import { ArrowRight, Inbox, MessagesSquare, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db";
import { getOrgOverview } from "@/lib/orgs/get-org-overview";
import { ROLE_LABELS } from "@/lib/tenancy/permissions";
import { getOrgContext } from "@/lib/tenancy/get-org-context";

export const metadata: Metadata = { title: "Home" };

export default async function OrgHome(props: PageProps<"/[slug]">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const overview = await getOrgOverview(db, ctx);
  const firstName = (ctx.user.name ?? ctx.user.email ?? "").split(/[\s@]/)[0];

  return (
    <>
      <PageHeader
        title={`Welcome${firstName ? `, ${firstName}` : ""}`}
        description={
          <span className="inline-flex items-center gap-2">
            <span data-testid="org-name">{ctx.org.name}</span>
            <Badge tone={ctx.role === "member" ? "neutral" : "accent"}>
              <span data-testid="org-role">{ROLE_LABELS[ctx.role]}</span>
            </Badge>
          </span>
        }
      />
      <div className="mb-6 grid grid-cols-3 gap-3">
        <Stat label="Linked accounts" value={overview.accounts} />
        <Stat label="Conversations" value={overview.conversations} />
        <Stat label="Contacts" value={overview.contacts} />
      </div>
      <section className="grid grid-cols-[1fr_320px] gap-4">
        <div className="rounded-lg border border-line bg-panel">
          <h2 className="flex h-10 items-center gap-2 border-b border-line px-4 text-[13px] font-medium text-ink">
            <MessagesSquare className="size-4 text-ink-faint" strokeWidth={1.75} />
            Recent conversations
          </h2>
          <div className="p-4">
            <EmptyState
              icon={Inbox}
              title="No conversations yet"
              action={
                <Button asChild variant="primary">
                  <Link href={`/${slug}/accounts`}>
                    Link a mailbox <ArrowRight className="size-3.5" />
                  </Link>
                </Button>
              }
            >
              Link Gmail, Outlook or any IMAP mailbox and conversations appear here as they sync.
            </EmptyState>
          </div>
        </div>
        <div className="flex flex-col gap-4">
          <div className="rounded-lg border border-line bg-panel">
            <h2 className="flex h-10 items-center border-b border-line px-4 text-[13px] font-medium text-ink">Sync status</h2>
            <p className="px-4 py-3 text-[13px] text-ink-muted">Nothing to sync: no mailbox is linked.</p>
          </div>
          <div className="rounded-lg border border-line bg-panel">
            <h2 className="flex h-10 items-center border-b border-line px-4 text-[13px] font-medium text-ink">Team</h2>
            <div className="flex items-center justify-between gap-3 px-4 py-3">
              <p className="text-[13px] text-ink-muted">
                {overview.members === 1 ? "Just you so far. Invite colleagues to share contacts and conversations." : `${overview.members} people share this organisation's contacts and conversations.`}
              </p>
              <Button asChild size="sm">
                <Link href={`/${slug}/settings/members`}>
                  <Users className="size-3.5" /> Members
                </Link>
              </Button>
            </div>
          </div>
        </div>
      </section>
    </>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg border border-line bg-panel px-4 py-3">
      <p className="text-[12px] text-ink-muted">{label}</p>
      <p className="mt-1 text-[20px] font-semibold tabular-nums text-ink">{value.toLocaleString("en-US")}</p>
    </div>
  );
}
