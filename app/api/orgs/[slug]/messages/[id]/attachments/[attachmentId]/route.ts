import { getMessageAttachment } from "@/lib/conversations/get-message-attachment";
import { conflict, notFound } from "@/lib/tenancy/errors";
import { withOrg } from "@/lib/tenancy/with-org";
import { downloadHeaders } from "../../download-headers";

/** Downloads an attachment kept in the database (always as a download, never rendered by us). */
export const GET = withOrg<{ slug: string; id: string; attachmentId: string }>(async (_request, { org, params, db }) => {
  const part = await getMessageAttachment(db, org, params.id, { id: params.attachmentId });
  if (!part) throw notFound("That attachment does not exist or you cannot see it.");
  if (!part.content) throw conflict("This attachment is not stored in Threadline yet (it is too large); open it in the mailbox it came from.");
  return new Response(new Uint8Array(part.content), { headers: downloadHeaders(part.filename ?? "attachment", part.contentType, "attachment") });
});
