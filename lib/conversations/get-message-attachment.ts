import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { isUuid } from "./get-conversation";
import { getViewableMessage } from "./get-viewable-message";
import { normalizeCid, toBuffer } from "./render-message-body";

export type MessageAttachment = {
  id: string;
  filename: string | null;
  contentType: string;
  size: number;
  inline: boolean;
  // Null: the part was too big to keep and is not stored (yet).
  content: Buffer | null;
};

/**
 * One attachment of a message the viewer may fully read, by attachment id or by Content-ID (inline
 * images). Null when the message or the part is not there for this viewer.
 */
export async function getMessageAttachment(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user">,
  messageId: string,
  part: { id: string } | { contentId: string },
): Promise<MessageAttachment | null> {
  if ("id" in part && !isUuid(part.id)) return null;
  const message = await getViewableMessage(db, ctx, messageId, "full");
  if (!message) return null;
  const match = "id" in part ? sql`x.id = ${part.id}` : sql`lower(trim(both '<>' from x.content_id)) = ${normalizeCid(part.contentId)}`;
  const [row] = await queryRows<{ id: string; filename: string | null; content_type: string; size: number; inline: boolean; content: Buffer | Uint8Array | string | null }>(
    db,
    sql`select x.id, x.filename, x.content_type, x.size, x.inline, x.content from attachments x
        where x.message_id = ${message.id} and x.org_id = ${ctx.orgId} and ${match}
        order by x.id limit 1`,
  );
  if (!row) return null;
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.content_type,
    size: Number(row.size),
    inline: pgBoolean(row.inline),
    content: row.content == null ? null : toBuffer(row.content),
  };
}
