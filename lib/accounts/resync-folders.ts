import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, mailboxes } from "@/db/schema";
import { conflict, forbidden, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canManageMailAccount } from "./account-permissions";

export type ResyncResult = { accountId: string; folders: string[] };

/**
 * "Resync": forgets what Threadline knows of one folder (or every folder of the mailbox) so the
 * next pass reads it again from scratch. The folder's UIDVALIDITY is cleared, which the sync treats
 * like a server-side reset: locations are dropped and every message re-read; messages are keyed by
 * content, so the same mail maps onto the same rows (no duplicates) and flags are refreshed.
 * A sync already committing into the folder notices the reset and leaves it to the next pass.
 */
export async function resyncFolders(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user" | "role">,
  input: { accountId: string; mailboxId?: string },
): Promise<ResyncResult> {
  const [account] = await db
    .select({ id: mailAccounts.id, userId: mailAccounts.userId, status: mailAccounts.status })
    .from(mailAccounts)
    .where(and(eq(mailAccounts.id, input.accountId), eq(mailAccounts.orgId, ctx.orgId)));
  if (!account) throw notFound("This mailbox is not linked to this organisation.");
  if (!canManageMailAccount({ userId: ctx.user.id, role: ctx.role }, account)) throw forbidden("Only the member who linked this mailbox, or an admin, can resync it.");
  if (account.status === "paused" || account.status === "reconnect_needed") {
    throw conflict(account.status === "paused" ? "Resume the mailbox first: a paused mailbox is not synced." : "Reconnect the mailbox first.");
  }

  const scope = and(eq(mailboxes.accountId, account.id), eq(mailboxes.orgId, ctx.orgId), input.mailboxId ? eq(mailboxes.id, input.mailboxId) : undefined);
  const folders = await db.select({ id: mailboxes.id, path: mailboxes.path }).from(mailboxes).where(scope);
  if (input.mailboxId && folders.length === 0) throw notFound("This folder does not belong to this mailbox.");
  if (folders.length > 0) {
    await db
      .update(mailboxes)
      .set({ uidValidity: null, uidNext: null })
      .where(and(scope, inArray(mailboxes.id, folders.map((f) => f.id))));
  }
  return { accountId: account.id, folders: folders.map((f) => f.path) };
}
