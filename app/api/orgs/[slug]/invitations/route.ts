import { listPendingInvitations } from "@/lib/invitations/list-invitations";
import { permissions } from "@/lib/tenancy/permissions";
import { withOrg } from "@/lib/tenancy/with-org";

export const GET = withOrg(
  async (_request, { org, db }) => Response.json({ invitations: await listPendingInvitations(db, org) }),
  { requiredRole: permissions.manageInvitations },
);
