"use client";

import { Inbox, Mail } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { toast } from "sonner";
import { awaitSyncResult } from "@/components/accounts/sync-toasts";
import { useAccountsOverview } from "@/components/accounts/use-accounts-overview";
import { EmptyState } from "@/components/ui/empty-state";
import type { AccountsOverview } from "@/lib/accounts/get-accounts-overview";
import type { ImapPreset } from "@/lib/accounts/imap-presets";
import { AccountRow } from "./account-row";
import { syncAccountNowAction } from "./actions";
import { ImapDialog } from "./imap-dialog";
import { OAuthLinkButton } from "./oauth-link-button";

type Props = {
  slug: string;
  initial: AccountsOverview;
  oauth: { gmail: boolean; outlook: boolean };
  presets: ImapPreset[];
  linkedId: string | null;
  linkError: string | null;
};

export function AccountsView({ slug, initial, oauth, presets, linkedId, linkError }: Props) {
  const router = useRouter();
  const { data } = useAccountsOverview(slug, { initial });
  const accounts = data?.accounts ?? initial.accounts;
  const rates = (data as { rates?: Record<string, number> } | undefined)?.rates ?? {};
  const pathname = usePathname();
  const handled = useRef<string | null>(null);

  // Back from Google/Microsoft: start the first sync, say so, and clean the URL.
  useEffect(() => {
    if (!linkedId || handled.current === linkedId) return;
    handled.current = linkedId;
    const account = accounts.find((a) => a.id === linkedId);
    void syncAccountNowAction({ slug, accountId: linkedId, reason: "linked" }).finally(() => router.replace(pathname));
    if (account) awaitSyncResult(account.id, account.emailAddress, account.messages);
    toast.success(account ? `${account.emailAddress} is linked. The first sync has started.` : "Mailbox linked.");
  }, [linkedId, accounts, slug, router, pathname]);

  const linkButtons = (
    <div className="flex flex-wrap items-center gap-2">
      <OAuthLinkButton slug={slug} provider="gmail" enabled={oauth.gmail} />
      <OAuthLinkButton slug={slug} provider="outlook" enabled={oauth.outlook} />
      <ImapDialog slug={slug} presets={presets} />
    </div>
  );

  return (
    <div className="flex flex-col gap-4">
      {linkError ? (
        <p role="alert" data-testid="link-error" className="rounded-md border border-danger/20 bg-danger-soft px-3 py-2 text-[13px] text-danger">
          {linkError}
        </p>
      ) : null}
      {accounts.length === 0 ? (
        <EmptyState icon={Inbox} title="No accounts yet" action={linkButtons}>
          Link Gmail, Outlook or any IMAP mailbox. Threadline keeps a searchable copy of the mail and builds your contacts from it.
        </EmptyState>
      ) : (
        <>
          <div className="flex items-center justify-between gap-3">
            <p className="flex items-center gap-2 text-[13px] text-ink-muted">
              <Mail className="size-4 text-ink-faint" strokeWidth={1.75} />
              {accounts.length === 1 ? "1 mailbox" : `${accounts.length} mailboxes`}
            </p>
            {linkButtons}
          </div>
          <div className="flex flex-col gap-3" data-testid="accounts-table">
            {accounts.map((account) => (
              <AccountRow
                key={account.id}
                slug={slug}
                account={account}
                rates={rates}
                presets={presets}
                oauthEnabled={account.provider === "imap" ? false : oauth[account.provider]}
              />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
