import { renderMessageBody } from "@/lib/conversations/render-message-body";
import { mailFrameHeaders } from "@/lib/render/mail-document";
import { notFound } from "@/lib/tenancy/errors";
import { withOrg } from "@/lib/tenancy/with-org";

/**
 * The sanitised body of a message, as the document of the reader's sandboxed frame (CSP in
 * lib/render/mail-document.ts). `?images=1` loads this message's remote images once.
 */
export const GET = withOrg<{ slug: string; id: string }>(async (request, { org, params, db }) => {
  const images = new URL(request.url).searchParams.get("images") === "1";
  const body = await renderMessageBody(db, org, params.id, { images });
  if (!body) throw notFound("That message does not exist or you cannot see it.");
  return new Response(body.document, { headers: mailFrameHeaders({ allowRemoteImages: body.allowRemoteImages }) });
});
