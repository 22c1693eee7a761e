import { AlertTriangle, ArrowRight, CheckCircle2, Inbox, KeyRound, MessagesSquare, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ConversationList } from "@/components/mail/conversation-list";
import { SyncStatusLine } from "@/components/mail/sync-status-line";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { getMailStatus, type MailStatus } from "@/lib/conversations/get-mail-status";
import { listConversations } from "@/lib/conversations/list-conversations";
import { getOrgOverview } from "@/lib/orgs/get-org-overview";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";
import { ROLE_LABELS } from "@/lib/tenancy/permissions";

export const metadata: Metadata = { title: "Home" };

export default async function OrgHome(props: PageProps<"/[slug]">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const [overview, status, recent] = await runAsOrg(ctx, (db) =>
    Promise.all([getOrgOverview(db, ctx), getMailStatus(db, ctx), listConversations(db, ctx, { scope: { kind: "recent" }, limit: 15 })]),
  );
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
      <SyncStatusLine slug={slug} syncing={status.syncing} />
      <div className="mb-5 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Linked mailboxes" value={overview.accounts} href={`/${slug}/accounts`} />
        <Stat label="Conversations" value={overview.conversations} />
        <Stat label="Contacts" value={overview.contacts} href={`/${slug}/contacts`} />
        <Stat label="Members" value={overview.members} href={`/${slug}/settings/members`} />
      </div>
      <section className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_300px]">
        <div className="min-w-0 overflow-hidden rounded-lg border border-line bg-panel">
          <h2 className="flex h-10 items-center gap-2 border-b border-line px-4 text-[13px] font-medium text-ink">
            <MessagesSquare className="size-4 text-ink-faint" strokeWidth={1.75} />
            Recent conversations
            <span className="ml-auto hidden text-[11px] font-normal text-ink-faint sm:inline">
              <kbd className="rounded border border-line px-1 font-mono">j</kbd> <kbd className="rounded border border-line px-1 font-mono">k</kbd> to move ·{" "}
              <kbd className="rounded border border-line px-1 font-mono">↵</kbd> to open
            </span>
          </h2>
          <ConversationList
            slug={slug}
            items={recent.items}
            testId="recent-conversations"
            empty={
              <div className="p-4">
                <EmptyState
                  icon={Inbox}
                  title={overview.accounts ? "No conversations yet" : "No mailboxes linked yet"}
                  action={
                    <Button asChild variant="primary">
                      <Link href={`/${slug}/accounts`}>
                        {overview.accounts ? "See sync progress" : "Link a mailbox"} <ArrowRight className="size-3.5" />
                      </Link>
                    </Button>
                  }
                >
                  {overview.accounts
                    ? "Conversations appear here as soon as the first messages are synced."
                    : "Link Gmail, Outlook or any IMAP mailbox and conversations appear here as they sync."}
                </EmptyState>
              </div>
            }
          />
        </div>
        <div className="flex flex-col gap-4">
          <Attention slug={slug} status={status} />
          <div className="rounded-lg border border-line bg-panel">
            <h2 className="flex h-10 items-center gap-2 border-b border-line px-4 text-[13px] font-medium text-ink">
              <Users className="size-4 text-ink-faint" strokeWidth={1.75} />
              Team
            </h2>
            <div className="flex items-center justify-between gap-3 px-4 py-3">
              <p className="text-[13px] text-ink-muted">
                {overview.members === 1 ? "Just you so far. Invite colleagues to share contacts and conversations." : `${overview.members} people share this organisation's contacts and conversations.`}
              </p>
              <Button asChild size="sm">
                <Link href={`/${slug}/settings/members`}>Members</Link>
              </Button>
            </div>
          </div>
        </div>
      </section>
    </>
  );
}

function Attention({ slug, status }: { slug: string; status: MailStatus }) {
  return (
    <div className="rounded-lg border border-line bg-panel" data-testid="accounts-attention">
      <h2 className="flex h-10 items-center gap-2 border-b border-line px-4 text-[13px] font-medium text-ink">
        {status.attention.length ? <AlertTriangle className="size-4 text-warn" strokeWidth={1.75} /> : <CheckCircle2 className="size-4 text-ok" strokeWidth={1.75} />}
        Mailboxes
        {status.attention.length ? (
          <Badge tone="warn" className="ml-auto">
            {status.attention.length} {status.attention.length === 1 ? "needs" : "need"} attention
          </Badge>
        ) : null}
      </h2>
      {status.attention.length ? (
        <ul className="divide-y divide-line">
          {status.attention.map((account) => (
            <li key={account.id} className="px-4 py-3" data-testid="attention-account">
              <div className="flex items-center gap-2">
                {account.status === "reconnect_needed" ? <KeyRound className="size-3.5 shrink-0 text-warn" aria-hidden /> : <AlertTriangle className="size-3.5 shrink-0 text-danger" aria-hidden />}
                <span className="min-w-0 flex-1 truncate text-[13px] font-medium text-ink">{account.emailAddress}</span>
                {account.since ? <RelativeTime date={account.since} className="shrink-0 text-[11px] text-ink-faint" /> : null}
              </div>
              <p className="mt-1 line-clamp-2 text-[12px] text-ink-muted">
                {account.status === "reconnect_needed" ? "Sign-in expired or was revoked: syncing is paused until it is reconnected." : (account.reason ?? "Syncing keeps failing.")}
              </p>
              <Link href={`/${slug}/accounts`} className="mt-1.5 inline-flex items-center gap-1 text-[12px] font-medium text-accent hover:underline">
                {account.status === "reconnect_needed" ? (account.mine ? "Reconnect" : "Ask the owner to reconnect") : "See details"} <ArrowRight className="size-3" />
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-4 py-3 text-[13px] text-ink-muted">
          {status.accounts === 0
            ? "Nothing to sync: no mailbox is linked."
            : status.syncing.length
              ? `All mailboxes healthy; ${status.syncing.length} syncing.`
              : `All ${status.accounts} mailbox${status.accounts === 1 ? " is" : "es are"} up to date.`}
        </p>
      )}
    </div>
  );
}

function Stat({ label, value, href }: { label: string; value: number; href?: string }) {
  const body = (
    <>
      <p className="text-[12px] text-ink-muted">{label}</p>
      <p className="mt-1 text-[20px] font-semibold text-ink tabular-nums">{value.toLocaleString("en-US")}</p>
    </>
  );
  const className = "rounded-lg border border-line bg-panel px-4 py-3";
  return href ? (
    <Link href={href} className={`${className} transition-colors hover:border-line-strong hover:bg-hover/30`}>
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}
