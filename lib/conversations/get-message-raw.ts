import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { getViewableMessage } from "./get-viewable-message";
import { toBuffer } from "./render-message-body";

/**
 * The stored raw source of a message the viewer may fully read (kept for messages that failed to
 * parse). Null when there is none or the viewer may not have it.
 */
export async function getMessageRaw(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, messageId: string) {
  const message = await getViewableMessage(db, ctx, messageId, "full");
  if (!message) return null;
  const [row] = await queryRows<{ source: Buffer | Uint8Array | string; truncated: boolean }>(
    db,
    sql`select source, truncated from message_raw where message_id = ${message.id} and org_id = ${ctx.orgId}`,
  );
  if (!row) return null;
  return { source: toBuffer(row.source), truncated: pgBoolean(row.truncated) };
}
