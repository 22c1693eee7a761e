"use server";

import { z } from "zod";
import { signIn } from "@/auth";
import type { ConnectionFailure } from "@/lib/accounts/explain-connection-error";
import { linkImapAccount } from "@/lib/accounts/link-imap-account";
import { prepareOAuthLink } from "@/lib/accounts/prepare-oauth-link";
import { imapFormLimiter } from "@/lib/accounts/rate-limit";
import { resyncFolders } from "@/lib/accounts/resync-folders";
import { requestSync } from "./request-sync";
import { accountRefSchema, imapSettingsSchema, pauseAccountSchema, resyncFolderSchema, startOAuthLinkSchema, unlinkAccountSchema } from "@/lib/accounts/schemas";
import { setAccountPaused } from "@/lib/accounts/set-account-paused";
import { testImapConnection } from "@/lib/accounts/test-imap-connection";
import { unlinkMailAccount } from "@/lib/accounts/unlink-mail-account";
import { getJobRuntime } from "@/lib/jobs/start-job-runtime";
import { orgAction, orgInput } from "@/lib/safe-action";
import type { OrgContext } from "@/lib/tenancy/org-context";

const imapInput = z.object({ slug: z.string(), settings: imapSettingsSchema });

/** "Link Gmail" / "Link Outlook" / "Reconnect": where to send the browser (the provider's consent). */
export const startOAuthLinkAction = orgAction
  .metadata({ actionName: "startOAuthLink", outsideTransaction: "Auth.js may fetch the provider's OpenID configuration." })
  .inputSchema(orgInput(startOAuthLinkSchema.shape))
  .action(async ({ ctx, parsedInput: { slug: _slug, ...input } }) => {
    const start = await ctx.runAsOrg((db) => prepareOAuthLink(db, ctx.org, input));
    // Sets Auth.js's state, PKCE and callback-url cookies on this response; the browser goes on by itself.
    const url = await signIn(start.authProviderId, { redirectTo: start.callbackPath, redirect: false }, start.authorizationParams);
    return { url: typeof url === "string" ? url : null };
  });

/** "Test connection": log in and list the folders; nothing is stored. */
export const testImapConnectionAction = orgAction
  .metadata({ actionName: "testImapConnection", outsideTransaction: "Logs in to the mail server; stores nothing." })
  .inputSchema(imapInput)
  .action(async ({ ctx, parsedInput: { settings } }) => limited(ctx.org) ?? testImapConnection(settings));

/** "Link mailbox" on the IMAP form: log in, store (password encrypted), start the first sync. */
export const linkImapAccountAction = orgAction
  .metadata({ actionName: "linkImapAccount", outsideTransaction: "Asks the job runner for the first sync once the mailbox is committed." })
  .inputSchema(imapInput)
  .action(async ({ ctx, parsedInput: { settings } }) => {
    const refused = limited(ctx.org);
    if (refused) return refused;
    const result = await ctx.runAsOrg((db) => linkImapAccount(db, ctx.org, settings));
    if (result.ok) await requestSync(ctx.org, result.accountId, "linked");
    return result;
  });

/** "Sync now", and the first sync after an OAuth link returns to the page. */
export const syncAccountNowAction = orgAction
  .metadata({ actionName: "syncAccountNow", outsideTransaction: "Asks the job runner (requestAccountSync marks the account due itself, by organisation)." })
  .inputSchema(orgInput({ ...accountRefSchema.shape, reason: z.enum(["manual", "linked"]).default("manual") }))
  .action(async ({ ctx, parsedInput: { accountId, reason } }) => requestSync(ctx.org, accountId, reason));

export const unlinkAccountAction = orgAction
  .metadata({ actionName: "unlinkAccount" })
  .inputSchema(orgInput(unlinkAccountSchema.shape))
  .action(async ({ ctx: { org, db }, parsedInput: { slug: _slug, ...input } }) => unlinkMailAccount(db, org, input));

/** "Pause" / "Resume": a paused mailbox is neither synced nor watched; resuming syncs it at once. */
export const setAccountPausedAction = orgAction
  .metadata({ actionName: "setAccountPaused", outsideTransaction: "Asks the job runner for a sync once the change is committed." })
  .inputSchema(orgInput(pauseAccountSchema.shape))
  .action(async ({ ctx, parsedInput: { slug: _slug, ...input } }) => {
    const result = await ctx.runAsOrg((db) => setAccountPaused(db, ctx.org, input));
    // Drop (or take up) the IDLE connection now rather than at the watcher's next look.
    void getJobRuntime()?.watcher()?.refresh().catch(() => {});
    if (!result.paused) await requestSync(ctx.org, result.accountId, "manual");
    return result;
  });

/** "Resync" a folder (or the whole mailbox): read it again from the server, without duplicates. */
export const resyncFolderAction = orgAction
  .metadata({ actionName: "resyncFolder", outsideTransaction: "Asks the job runner for a sync once the change is committed." })
  .inputSchema(orgInput(resyncFolderSchema.shape))
  .action(async ({ ctx, parsedInput: { slug: _slug, ...input } }) => {
    const result = await ctx.runAsOrg((db) => resyncFolders(db, ctx.org, input));
    await requestSync(ctx.org, result.accountId, "manual");
    return result;
  });

function limited(org: OrgContext): ConnectionFailure | null {
  const taken = imapFormLimiter().take(`${org.user.id}:${org.orgId}`);
  if (taken.ok) return null;
  return { ok: false, reason: "rate_limited", field: null, message: `Too many connection attempts. Try again in ${Math.ceil(taken.retryAfterMs / 1000)} s.` };
}
