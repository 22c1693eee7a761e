import { listMembers } from "@/lib/orgs/list-members";
import { withOrg } from "@/lib/tenancy/with-org";

export const GET = withOrg(async (_request, { org, db }) => Response.json({ members: await listMembers(db, org) }));
