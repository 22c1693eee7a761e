import { getMessageHeaders } from "@/lib/conversations/get-message-headers";
import { notFound } from "@/lib/tenancy/errors";
import { withOrg } from "@/lib/tenancy/with-org";

/** A message's header fields and folders (the reader's "Show headers"), cut to the viewer's access. */
export const GET = withOrg<{ slug: string; id: string }>(async (_request, { org, params, db }) => {
  const headers = await getMessageHeaders(db, org, params.id);
  if (!headers) throw notFound("That message does not exist or you cannot see it.");
  return Response.json(headers, { headers: { "cache-control": "private, no-store" } });
});
