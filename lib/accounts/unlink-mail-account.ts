import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, mailboxes } from "@/db/schema";
import { deleteOrphanMessages } from "@/lib/sync/delete-orphan-messages";
import { forbidden, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canManageMailAccount } from "./account-permissions";

export type UnlinkResult = { accountId: string; deletedData: boolean; messagesDeleted: number };

/**
 * Unlinks a mailbox. Its credentials (password or OAuth tokens) are always erased first, which
 * also stops every sync. Then either the account stays, paused, with its synced mail (it can be
 * linked again later), or — the user's choice — its messages, folders and sync history go too
 * (threads and contact figures follow; contacts themselves stay).
 */
export async function unlinkMailAccount(db: Database, ctx: Pick<OrgContext, "orgId" | "user" | "role">, input: { accountId: string; deleteData: boolean }): Promise<UnlinkResult> {
  const scope = and(eq(mailAccounts.id, input.accountId), eq(mailAccounts.orgId, ctx.orgId));
  const [account] = await db.select({ id: mailAccounts.id, orgId: mailAccounts.orgId, userId: mailAccounts.userId }).from(mailAccounts).where(scope);
  if (!account) throw notFound("This mailbox is not linked to this organisation.");
  if (!canManageMailAccount({ userId: ctx.user.id, role: ctx.role }, account)) throw forbidden("Only the member who linked this mailbox, or an admin, can unlink it.");

  const who = ctx.user.name || ctx.user.email || "a member";
  await db
    .update(mailAccounts)
    .set({
      encryptedPassword: null,
      encryptedAccessToken: null,
      encryptedRefreshToken: null,
      tokenExpiresAt: null,
      status: "paused",
      statusReason: `Unlinked by ${who} on ${new Date().toISOString().slice(0, 10)}: credentials removed, synced mail kept. Link it again to resume.`,
      nextSyncAt: null,
      updatedAt: new Date(),
    })
    .where(scope);
  if (!input.deleteData) return { accountId: account.id, deletedData: false, messagesDeleted: 0 };

  // Without folders every message is an orphan, removed with its thread and contact bookkeeping.
  await db.delete(mailboxes).where(and(eq(mailboxes.accountId, account.id), eq(mailboxes.orgId, ctx.orgId)));
  const messagesDeleted = await deleteOrphanMessages(db, account);
  // Sync runs and anything a sync still in flight added go with the row.
  await db.delete(mailAccounts).where(scope);
  return { accountId: account.id, deletedData: true, messagesDeleted };
}
