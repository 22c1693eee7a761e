"use client";

import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { toast } from "sonner";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ImapPreset } from "@/lib/accounts/imap-presets";
import type { MailAccountSummary } from "@/lib/accounts/list-mail-accounts";
import { syncAccountNowAction } from "./actions";
import { ImapDialog } from "./imap-dialog";
import { OAuthLinkButton } from "./oauth-link-button";
import { UnlinkDialog } from "./unlink-dialog";

const STATUS: Record<MailAccountSummary["status"], { label: string; tone: "neutral" | "accent" | "ok" | "warn" | "danger" }> = {
  connecting: { label: "Waiting for first sync", tone: "accent" },
  syncing: { label: "Syncing", tone: "accent" },
  active: { label: "Synced", tone: "ok" },
  reconnect_needed: { label: "Reconnect needed", tone: "warn" },
  error: { label: "Error", tone: "danger" },
  paused: { label: "Paused", tone: "neutral" },
};

const KIND: Record<MailAccountSummary["provider"], string> = { gmail: "Gmail", outlook: "Outlook", imap: "IMAP" };

export function AccountRow({ slug, account, presets, oauthEnabled }: { slug: string; account: MailAccountSummary; presets: ImapPreset[]; oauthEnabled: boolean }) {
  const router = useRouter();
  const { executeAsync: syncNow, isPending: syncing } = useAction(syncAccountNowAction);
  const status = account.unlinked ? { label: "Unlinked", tone: "neutral" as const } : STATUS[account.status];
  const needsReconnect = account.unlinked || account.status === "reconnect_needed";
  const oauth = account.authKind === "oauth2" && account.provider !== "imap";
  const kind = `${KIND[account.provider]}${account.authKind === "password" ? (account.provider === "imap" ? "" : " · app password") : " · OAuth"}`;

  return (
    <tr className="border-b border-line align-top last:border-0 hover:bg-hover/40" data-testid="account-row" data-email={account.emailAddress}>
      <td className="px-4 py-2.5">
        <p className="truncate font-medium text-ink">{account.emailAddress}</p>
        <p className="truncate text-[12px] text-ink-faint">
          {kind}
          {account.linkedBy ? ` · linked by ${account.linkedBy.name || account.linkedBy.email}` : ""}
        </p>
      </td>
      <td className="px-4 py-2.5">
        <Badge tone={status.tone}>
          <span data-testid="account-status">{status.label}</span>
        </Badge>
        {account.statusReason && (needsReconnect || account.status === "error") ? (
          <p className="mt-1 line-clamp-3 text-[12px] text-ink-muted" data-testid="account-status-reason" title={account.statusReason}>
            {account.statusReason}
          </p>
        ) : null}
      </td>
      <td className="px-4 py-2.5 text-right tabular-nums">
        <span data-testid="account-messages">{account.messages.toLocaleString("en")}</span>
        <p className="text-[12px] text-ink-faint">{account.folders === 1 ? "1 folder" : `${account.folders} folders`}</p>
      </td>
      <td className="px-4 py-2.5 text-ink-muted">{account.lastSyncAt ? <RelativeTime date={account.lastSyncAt} /> : "—"}</td>
      <td className="px-4 py-2.5">
        <div className="flex flex-wrap justify-end gap-1.5">
          {needsReconnect && account.canManage ? (
            oauth ? (
              <OAuthLinkButton slug={slug} provider={account.provider as "gmail" | "outlook"} enabled={oauthEnabled} accountId={account.id} label="Reconnect" variant="primary" size="sm" />
            ) : (
              <ImapDialog
                slug={slug}
                presets={presets}
                initial={{ host: account.imap.host, port: account.imap.port, security: account.imap.security === "starttls" ? "starttls" : "tls", user: account.imap.user, emailAddress: account.emailAddress }}
                triggerLabel="Reconnect"
                triggerVariant="primary"
              />
            )
          ) : null}
          {!needsReconnect && account.status !== "paused" ? (
            <Button
              size="sm"
              variant="ghost"
              disabled={syncing}
              onClick={async () => {
                const result = await syncNow({ slug, accountId: account.id });
                const message = actionErrorMessage(result);
                if (message) return toast.error(message);
                toast.success(`Sync of ${account.emailAddress} requested.`);
                router.refresh();
              }}
            >
              <RefreshCw className="size-3.5" /> Sync now
            </Button>
          ) : null}
          {account.canManage ? <UnlinkDialog slug={slug} account={account} /> : null}
        </div>
      </td>
    </tr>
  );
}
