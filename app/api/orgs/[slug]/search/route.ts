import { readSearchParams } from "@/lib/search/search-params";
import { searchOrgMail } from "@/lib/search/search-org-mail";
import { withOrg } from "@/lib/tenancy/with-org";

const WHY = "Full-text and substring conditions cannot use their indexes under row-level security; the search SQL filters by organisation.";

// GET /api/orgs/:slug/search?q=…&sort=relevance|newest&group=threads|messages&page=&pageSize=
export const GET = withOrg(async (request, { org, db }) => {
  const outcome = await searchOrgMail(db, org, readSearchParams(new URL(request.url).searchParams));
  if (outcome.status === "invalid") {
    return Response.json({ error: { code: "invalid", message: outcome.message, at: outcome.at } }, { status: 400 });
  }
  return Response.json(outcome);
}, { withoutRowLevelSecurity: WHY });
