"use client";

import { AlertTriangle, Info, Pause, Play, RefreshCw } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { awaitSyncResult } from "@/components/accounts/sync-toasts";
import { useRefreshAccounts } from "@/components/accounts/use-accounts-overview";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { RelativeTime } from "@/components/ui/relative-time";
import type { AccountOverview } from "@/lib/accounts/get-accounts-overview";
import type { ImapPreset } from "@/lib/accounts/imap-presets";
import { toast } from "sonner";
import { setAccountPausedAction, syncAccountNowAction } from "./actions";
import { FolderList } from "./folder-list";
import { ImapDialog } from "./imap-dialog";
import { OAuthLinkButton } from "./oauth-link-button";
import { UnlinkDialog } from "./unlink-dialog";

type Tone = "neutral" | "accent" | "ok" | "warn" | "danger";
const STATUS: Record<AccountOverview["status"], { label: string; tone: Tone }> = {
  connecting: { label: "Waiting for first sync", tone: "accent" },
  syncing: { label: "Syncing", tone: "accent" },
  active: { label: "Synced", tone: "ok" },
  reconnect_needed: { label: "Reconnect needed", tone: "warn" },
  error: { label: "Error", tone: "danger" },
  paused: { label: "Paused", tone: "neutral" },
};

const KIND: Record<AccountOverview["provider"], string> = { gmail: "Gmail", outlook: "Outlook", imap: "IMAP" };

/** One mailbox: status, last and next sync, what is wrong and how to fix it, folders, actions. */
export function AccountRow({ slug, account, rates, presets, oauthEnabled }: { slug: string; account: AccountOverview; rates: Record<string, number>; presets: ImapPreset[]; oauthEnabled: boolean }) {
  const refresh = useRefreshAccounts(slug);
  const syncNow = useAction(syncAccountNowAction);
  const pause = useAction(setAccountPausedAction);
  const status = account.unlinked ? { label: "Unlinked", tone: "neutral" as const } : STATUS[account.status];
  const needsReconnect = account.unlinked || account.status === "reconnect_needed";
  const paused = account.status === "paused" && !account.unlinked;
  const oauth = account.authKind === "oauth2" && account.provider !== "imap";
  const kind = `${KIND[account.provider]}${account.authKind === "password" ? (account.provider === "imap" ? "" : " · app password") : " · OAuth"}`;
  const running = account.job.state === "running" || account.job.state === "queued";
  const problem = account.problem;

  async function run(work: () => Promise<unknown>, success: string) {
    const message = actionErrorMessage((await work()) as Parameters<typeof actionErrorMessage>[0]);
    if (message) return toast.error(message);
    toast.success(success);
    void refresh();
  }

  return (
    <section
      id={`account-${account.id}`}
      className="scroll-mt-4 rounded-lg border border-line bg-panel target:ring-2 target:ring-accent/30"
      data-testid="account-row"
      data-email={account.emailAddress}
      aria-label={account.emailAddress}
    >
      {/* Wide: one row. Below xl the actions move under the figures, below lg the status goes under
          the address: the address must never be squeezed out by the columns beside it. */}
      <div className="grid grid-cols-[minmax(0,1fr)_auto] items-start gap-x-3 gap-y-2 px-4 py-3 lg:grid-cols-[minmax(12rem,1fr)_150px_90px_150px] xl:grid-cols-[minmax(0,1fr)_150px_90px_150px_auto]">
        <div className="col-start-1 row-start-1 min-w-0">
          <p className="truncate font-medium text-ink" data-testid="account-address">
            {account.emailAddress}
          </p>
          <p className="truncate text-[12px] text-ink-faint">
            {kind}
            {account.linkedBy ? ` · linked by ${account.linkedBy.name || account.linkedBy.email}` : ""}
          </p>
        </div>
        <div className="col-start-1 row-start-2 lg:col-start-2 lg:row-start-1">
          <Badge tone={status.tone}>
            <span data-testid="account-status">{status.label}</span>
          </Badge>
          {running && !paused ? (
            <p className="mt-1 flex items-center gap-1 text-[12px] text-info">
              <RefreshCw className="size-3 animate-spin [animation-duration:2s]" aria-hidden /> {account.job.state === "queued" ? "Sync queued" : "Sync running"}
            </p>
          ) : null}
        </div>
        <div className="hidden text-right tabular-nums lg:col-start-3 lg:row-start-1 lg:block">
          <span data-testid="account-messages">{account.messages.toLocaleString("en")}</span>
          <p className="text-[12px] text-ink-faint">{account.folders === 1 ? "1 folder" : `${account.folders} folders`}</p>
        </div>
        <dl className="hidden text-[12px] lg:col-start-4 lg:row-start-1 lg:block">
          <div className="flex gap-1">
            <dt className="text-ink-faint">Last sync</dt>
            <dd className="text-ink-muted" data-testid="account-last-sync">
              {account.lastSyncAt ? <RelativeTime date={account.lastSyncAt} /> : "never"}
            </dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-ink-faint">Next</dt>
            <dd className="text-ink-muted" data-testid="account-next-sync">
              {paused || needsReconnect ? "—" : running ? "now" : account.job.nextRunAt ? <NextRun at={account.job.nextRunAt} due={account.job.nextRunDue} /> : "—"}
            </dd>
          </div>
        </dl>
        <div className="col-start-2 row-span-2 row-start-1 flex flex-wrap justify-end gap-1.5 lg:col-span-4 lg:col-start-1 lg:row-span-1 lg:row-start-2 xl:col-span-1 xl:col-start-5 xl:row-start-1">
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
          {!needsReconnect && !paused ? (
            <Button
              size="sm"
              variant="ghost"
              disabled={syncNow.isPending}
              onClick={() =>
                run(async () => {
                  const result = await syncNow.executeAsync({ slug, accountId: account.id });
                  if (!actionErrorMessage(result)) awaitSyncResult(account.id, account.emailAddress, account.messages);
                  return result;
                }, `Sync of ${account.emailAddress} requested.`)
              }
            >
              <RefreshCw className="size-3.5" /> Sync now
            </Button>
          ) : null}
          {account.canManage && !account.unlinked && account.status !== "reconnect_needed" ? (
            <Button
              size="sm"
              variant="ghost"
              disabled={pause.isPending}
              aria-label={`${paused ? "Resume" : "Pause"} syncing ${account.emailAddress}`}
              onClick={() =>
                run(
                  () => pause.executeAsync({ slug, accountId: account.id, paused: !paused }),
                  paused ? `${account.emailAddress} resumed: catching up now.` : `${account.emailAddress} paused.`,
                )
              }
            >
              {paused ? <Play className="size-3.5" /> : <Pause className="size-3.5" />} {paused ? "Resume" : "Pause"}
            </Button>
          ) : null}
          {account.canManage ? <UnlinkDialog slug={slug} account={account} /> : null}
        </div>
      </div>
      {problem ? (
        <div
          role={problem.tone === "neutral" ? "status" : "alert"}
          data-testid="account-problem"
          className={cn(
            "mx-4 mb-3 flex items-start gap-2 rounded-md border px-3 py-2 text-[12px]",
            problem.tone === "danger" ? "border-danger/20 bg-danger-soft" : problem.tone === "warn" ? "border-warn/25 bg-warn/5" : "border-line bg-sunken",
          )}
        >
          {problem.tone === "neutral" ? <Info className="mt-px size-3.5 shrink-0 text-ink-faint" /> : <AlertTriangle className={cn("mt-px size-3.5 shrink-0", problem.tone === "danger" ? "text-danger" : "text-warn")} />}
          <div className="min-w-0">
            <p className="text-ink">{problem.title}</p>
            <p className="text-ink-muted" data-testid="account-fix">
              {problem.fix}
              {problem.retryAt && !paused ? (
                <>
                  {" "}
                  Next attempt <RelativeTime date={problem.retryAt} />.
                </>
              ) : null}
            </p>
            {problem.detail && (needsReconnect || account.status === "error" || problem.tone !== "neutral") ? (
              <p className="mt-1 line-clamp-2 text-[11px] text-ink-faint" data-testid="account-status-reason" title={problem.detail}>
                {problem.detail}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      <div className="border-t border-line px-4 py-2.5">
        <FolderList slug={slug} account={account} rates={rates} />
      </div>
    </section>
  );
}

function NextRun({ at, due }: { at: string; due: boolean }) {
  return due ? <span>due now</span> : <RelativeTime date={at} />;
}
