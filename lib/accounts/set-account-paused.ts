import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { conflict, forbidden, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canManageMailAccount } from "./account-permissions";

export type SetPausedResult = { accountId: string; paused: boolean; status: string };

/**
 * Pauses or resumes a mailbox. Paused: the scheduler, sync requests and the IDLE watcher leave it
 * alone, and a sync in progress stops after the batch it is committing. Resuming makes it due at
 * once (the caller sends the sync request); it comes back as "active" if it was synced before,
 * else it starts over as "connecting". An unlinked mailbox (no credentials) cannot be resumed.
 */
export async function setAccountPaused(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user" | "role">,
  input: { accountId: string; paused: boolean },
): Promise<SetPausedResult> {
  const scope = and(eq(mailAccounts.id, input.accountId), eq(mailAccounts.orgId, ctx.orgId));
  const [account] = await db
    .select({
      id: mailAccounts.id,
      userId: mailAccounts.userId,
      status: mailAccounts.status,
      lastSyncAt: mailAccounts.lastSyncAt,
      hasSecret: sql<boolean>`(${mailAccounts.encryptedPassword} is not null or ${mailAccounts.encryptedRefreshToken} is not null)`,
    })
    .from(mailAccounts)
    .where(scope);
  if (!account) throw notFound("This mailbox is not linked to this organisation.");
  if (!canManageMailAccount({ userId: ctx.user.id, role: ctx.role }, account)) throw forbidden("Only the member who linked this mailbox, or an admin, can pause or resume it.");
  if (!account.hasSecret) throw conflict("This mailbox was unlinked: link it again to resume syncing.");

  if (input.paused) {
    if (account.status === "paused") return { accountId: account.id, paused: true, status: "paused" };
    const who = ctx.user.name || ctx.user.email || "a member";
    await db
      .update(mailAccounts)
      .set({ status: "paused", statusReason: `Paused by ${who}.`, nextSyncAt: null, updatedAt: new Date() })
      .where(scope);
    return { accountId: account.id, paused: true, status: "paused" };
  }
  if (account.status !== "paused") return { accountId: account.id, paused: false, status: account.status };
  const status = account.lastSyncAt ? "active" : "connecting";
  await db
    .update(mailAccounts)
    .set({ status, statusReason: null, consecutiveFailures: 0, nextSyncAt: sql`now()`, updatedAt: new Date() })
    .where(and(scope, eq(mailAccounts.status, "paused")));
  return { accountId: account.id, paused: false, status };
}
