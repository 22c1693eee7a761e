import { getMessageRaw } from "@/lib/conversations/get-message-raw";
import { notFound } from "@/lib/tenancy/errors";
import { withOrg } from "@/lib/tenancy/with-org";
import { downloadHeaders } from "../download-headers";

/** The stored raw source (.eml) of a message that could not be parsed. */
export const GET = withOrg<{ slug: string; id: string }>(async (_request, { org, params, db }) => {
  const raw = await getMessageRaw(db, org, params.id);
  if (!raw) throw notFound("No raw source is stored for this message.");
  return new Response(new Uint8Array(raw.source), {
    headers: { ...downloadHeaders(`message-${params.id.slice(0, 8)}${raw.truncated ? "-truncated" : ""}.eml`, "message/rfc822", "attachment"), "x-threadline-truncated": String(raw.truncated) },
  });
});
