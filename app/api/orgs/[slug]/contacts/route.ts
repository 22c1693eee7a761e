import { contactListParams } from "@/lib/contacts/contact-list-params";
import { listContacts } from "@/lib/contacts/list-contacts";
import { withOrg } from "@/lib/tenancy/with-org";

// The command palette's "jump to a contact": a few of the busiest people whose name or address contains q.
const PALETTE_CONTACTS = 6;

// GET /api/orgs/:slug/contacts?q=… → { contacts: [{ id, name, email, company }] }, none without q.
export const GET = withOrg(async (request, { org, db }) => {
  const { q } = contactListParams.pick({ q: true }).parse({ q: new URL(request.url).searchParams.get("q") ?? "" });
  if (!q) return Response.json({ contacts: [] });
  const list = await listContacts(db, org, { q, sort: "messages", bulk: false, page: 1, pageSize: PALETTE_CONTACTS });
  return Response.json({ contacts: list.rows.map(({ id, name, email, company }) => ({ id, name, email, company })) });
});
