"use server";

import { z } from "zod";
import { signIn } from "@/auth";
import { requestAccountSync } from "@/inngest/request-account-sync";
import type { ConnectionFailure } from "@/lib/accounts/explain-connection-error";
import { linkImapAccount } from "@/lib/accounts/link-imap-account";
import { prepareOAuthLink } from "@/lib/accounts/prepare-oauth-link";
import { imapFormLimiter } from "@/lib/accounts/rate-limit";
import { accountRefSchema, imapSettingsSchema, startOAuthLinkSchema, unlinkAccountSchema } from "@/lib/accounts/schemas";
import { testImapConnection } from "@/lib/accounts/test-imap-connection";
import { unlinkMailAccount } from "@/lib/accounts/unlink-mail-account";
import { orgAction, orgInput } from "@/lib/safe-action";
import { notFound } from "@/lib/tenancy/errors";
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

function limited(org: OrgContext): ConnectionFailure | null {
  const taken = imapFormLimiter().take(`${org.user.id}:${org.orgId}`);
  if (taken.ok) return null;
  return { ok: false, reason: "rate_limited", field: null, message: `Too many connection attempts. Try again in ${Math.ceil(taken.retryAfterMs / 1000)} s.` };
}

async function requestSync(org: OrgContext, accountId: string, reason: "manual" | "linked") {
  try {
    const result = await requestAccountSync({ orgId: org.orgId, accountId, reason });
    if (result.status === null) throw notFound("This mailbox is not linked to this organisation.");
    return { requested: result.requested, status: result.status };
  } catch (error) {
    if (error instanceof Error && error.name === "AppError") throw error;
    // The account is already marked due (requestAccountSync does that first): the scheduler runs it
    // within a minute even when the job runner could not be reached now.
    console.warn(`sync request for ${accountId} not delivered now: ${(error as Error).message}`);
    return { requested: true, status: "queued" };
  }
}
