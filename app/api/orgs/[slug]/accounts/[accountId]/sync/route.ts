import { requestSync } from "@/app/(dashboard)/[slug]/accounts/request-sync";
import { accountRefSchema } from "@/lib/accounts/schemas";
import { forbidden } from "@/lib/tenancy/errors";
import { withOrg } from "@/lib/tenancy/with-org";

/**
 * "Sync now" from the command palette (any screen). Same rule as the accounts screen's action: any
 * member may ask for a sync of the organisation's mailboxes. A browser request from another site
 * (its Origin is not this host) is refused, as server actions refuse them.
 */
export const POST = withOrg<{ slug: string; accountId: string }>(
  async (request, { org, params }) => {
    if (!sameOrigin(request)) throw forbidden("Cross-site requests are not allowed.");
    const { accountId } = accountRefSchema.parse({ accountId: params.accountId });
    return Response.json(await requestSync(org, accountId, "manual"));
  },
  { outsideTransaction: "The account is marked due and committed before the job runner is asked, so the sync it starts sees the request." },
);

function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return true;
  try {
    return new URL(origin).host === (request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host);
  } catch {
    return false;
  }
}
