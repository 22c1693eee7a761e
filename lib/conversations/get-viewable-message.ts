import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { isUuid } from "./get-conversation";
import { type Access, ACCESS_RANK, accessFromRank, accessRankOfAccountAlias } from "./visibility";

export type ViewableMessage = {
  id: string;
  threadId: string | null;
  accountId: string;
  fromAddress: string | null;
  access: Access;
  senderImagesAllowed: boolean;
};

/**
 * A message of the organisation the viewer may see at least `minimum` of (visibility.ts), or null —
 * the message routes answer 404 for "not here" and "not yours to see" alike.
 */
export async function getViewableMessage(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user">,
  messageId: string,
  minimum: Access = "full",
): Promise<ViewableMessage | null> {
  if (!isUuid(messageId)) return null;
  const rank = accessRankOfAccountAlias({ userId: ctx.user.id }, "a");
  const [row] = await queryRows<{ id: string; thread_id: string | null; account_id: string; from_address: string | null; rank: number | string; sender_allowed: boolean }>(
    db,
    sql`
    select m.id, m.thread_id, m.account_id, m.from_address, ${rank} as rank,
      exists (select 1 from remote_image_senders s where s.org_id = ${ctx.orgId} and s.user_id = ${ctx.user.id} and s.sender = m.from_address) as sender_allowed
    from messages m join mail_accounts a on a.id = m.account_id and a.org_id = ${ctx.orgId}
    where m.id = ${messageId} and m.org_id = ${ctx.orgId}`,
  );
  if (!row || Number(row.rank) < ACCESS_RANK[minimum]) return null;
  return {
    id: row.id,
    threadId: row.thread_id,
    accountId: row.account_id,
    fromAddress: row.from_address,
    access: accessFromRank(Number(row.rank)),
    senderImagesAllowed: pgBoolean(row.sender_allowed),
  };
}
