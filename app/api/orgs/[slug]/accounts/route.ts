import { getAccountsOverview } from "@/lib/accounts/get-accounts-overview";
import { withOrg } from "@/lib/tenancy/with-org";

// Polled by the accounts screen (every second or two while a sync runs): never cached.
export const dynamic = "force-dynamic";

export const GET = withOrg(async (_request, { org, db }) =>
  Response.json(await getAccountsOverview(db, org), { headers: { "cache-control": "no-store" } }),
);
