import { getMessageAttachment } from "@/lib/conversations/get-message-attachment";
import { notFound } from "@/lib/tenancy/errors";
import { withOrg } from "@/lib/tenancy/with-org";
import { downloadHeaders } from "../../download-headers";

const SAFE_INLINE = /^image\/(png|gif|jpe?g|webp|bmp|avif)$/i;

/**
 * An inline part by Content-ID (cid:…), from our origin, for the page around the reader frame
 * (the frame itself embeds inline images: it has no session cookie to send). Raster images are
 * shown inline; anything else (SVG included) is only ever a download.
 */
export const GET = withOrg<{ slug: string; id: string; cid: string }>(async (_request, { org, params, db }) => {
  const part = await getMessageAttachment(db, org, params.id, { contentId: safeDecode(params.cid) });
  if (!part?.content) throw notFound("That inline part does not exist or is not stored.");
  const inline = SAFE_INLINE.test(part.contentType);
  return new Response(new Uint8Array(part.content), {
    headers: downloadHeaders(part.filename ?? "inline", inline ? part.contentType.toLowerCase() : "application/octet-stream", inline ? "inline" : "attachment"),
  });
});

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
