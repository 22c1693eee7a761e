import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { remoteImageSenders } from "@/db/schema";
import { conflict, notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { getViewableMessage } from "./get-viewable-message";

/**
 * Remembers, for this reader in this organisation, that remote images from the sender of `messageId`
 * may load (or forgets it with `allow: false`). Taking a message rather than an address means the
 * reader can only trust senders of mail they can actually read.
 */
export async function setSenderImagesAllowed(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, input: { messageId: string; allow: boolean }) {
  const message = await getViewableMessage(db, ctx, input.messageId, "full");
  if (!message) throw notFound("That message does not exist or you cannot see it.");
  const sender = message.fromAddress;
  if (!sender) throw conflict("This message has no sender address to remember.");
  if (input.allow) {
    await db.insert(remoteImageSenders).values({ orgId: ctx.orgId, userId: ctx.user.id, sender }).onConflictDoNothing();
  } else {
    await db
      .delete(remoteImageSenders)
      .where(and(eq(remoteImageSenders.orgId, ctx.orgId), eq(remoteImageSenders.userId, ctx.user.id), eq(remoteImageSenders.sender, sender)));
  }
  return { sender, allowed: input.allow };
}
