import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { mailDocument } from "@/lib/render/mail-document";
import { sanitizeMailHtml } from "@/lib/render/sanitize-mail-html";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { getViewableMessage } from "./get-viewable-message";

export type RenderedBody = { document: string; allowRemoteImages: boolean; remoteImages: number };

// Inline parts are embedded as data: URLs: the sandboxed frame has an opaque origin, so the browser
// sends no (SameSite=Lax) session cookie with its image requests and a guarded URL could not load.
// Raster images only: SVG is a document format, kept out of the reader even where it could not run.
const INLINE_TYPES = /^image\/(png|gif|jpe?g|webp|bmp|avif)$/i;

/**
 * The frame document of a message the viewer may fully read: sanitised HTML (or the plain text,
 * escaped) with inline parts embedded and remote images loaded only when `images` asks for it or the
 * reader trusts the sender. Null when the message is not there for this viewer.
 */
export async function renderMessageBody(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user">,
  messageId: string,
  options: { images: boolean },
): Promise<RenderedBody | null> {
  const message = await getViewableMessage(db, ctx, messageId, "full");
  if (!message) return null;
  const [row] = await queryRows<{ html_body: string | null; text_body: string | null }>(
    db,
    sql`select html_body, text_body from messages where id = ${message.id} and org_id = ${ctx.orgId}`,
  );
  const allowRemoteImages = options.images || message.senderImagesAllowed;
  if (!row?.html_body) {
    const text = (row?.text_body ?? "").replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return { document: mailDocument(`<pre style="font:inherit;margin:0">${text}</pre>`), allowRemoteImages, remoteImages: 0 };
  }
  const parts = await queryRows<{ content_id: string; content_type: string; content: Buffer | Uint8Array | string | null }>(
    db,
    sql`select content_id, content_type, content from attachments
        where message_id = ${message.id} and org_id = ${ctx.orgId} and content_id is not null and content is not null`,
  );
  const inline = new Map<string, string>();
  for (const part of parts) {
    if (!INLINE_TYPES.test(part.content_type)) continue;
    inline.set(normalizeCid(part.content_id), `data:${part.content_type.toLowerCase()};base64,${toBuffer(part.content).toString("base64")}`);
  }
  const sanitized = sanitizeMailHtml(row.html_body, { allowRemoteImages, resolveCid: (cid) => inline.get(normalizeCid(cid)) ?? null });
  return { document: mailDocument(sanitized.html), allowRemoteImages, remoteImages: sanitized.remoteImages };
}

export function normalizeCid(cid: string): string {
  return cid.trim().replace(/^<|>$/g, "").toLowerCase();
}

export function toBuffer(value: Buffer | Uint8Array | string | null): Buffer {
  if (value == null) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === "string") return value.startsWith("\\x") ? Buffer.from(value.slice(2), "hex") : Buffer.from(value, "binary");
  return Buffer.from(value);
}
