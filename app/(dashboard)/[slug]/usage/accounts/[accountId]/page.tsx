import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AccountHistory } from "@/components/usage/account-history";
import { AdminsOnly } from "@/components/usage/admins-only";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";
import { hasRole, permissions } from "@/lib/tenancy/permissions";
import { findUsageAccount } from "@/lib/usage/find-usage-account";
import { getUsageSummary } from "@/lib/usage/get-usage-summary";
import { getUsageTimeseries } from "@/lib/usage/get-usage-timeseries";
import { listSyncRuns } from "@/lib/usage/list-sync-runs";
import { readUsageWindow } from "@/lib/usage/usage-scope";

export const metadata: Metadata = { title: "Account usage" };

const PAGE_SIZE = 50;

export default async function AccountUsagePage(props: PageProps<"/[slug]/usage/accounts/[accountId]">) {
  const { slug, accountId } = await props.params;
  const ctx = await getOrgContext(slug);
  if (!hasRole(ctx.role, permissions.viewUsage)) return <AdminsOnly />;
  const searchParams = await props.searchParams;
  const days = readUsageWindow(searchParams.days);
  const page = Math.max(1, Math.min(10_000, Number(searchParams.page) || 1));
  const loaded = await runAsOrg(ctx, async (db) => {
    const account = await findUsageAccount(db, { orgId: ctx.orgId, accountId });
    if (!account) return null;
    const scope = { kind: "account" as const, orgId: ctx.orgId, accountId: account.id };
    const [summary, series, runs] = await Promise.all([
      getUsageSummary(db, scope, days),
      getUsageTimeseries(db, scope, days),
      listSyncRuns(db, { orgId: ctx.orgId, accountId: account.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    return { account, summary, series, runs };
  });
  if (!loaded) notFound();
  const { account, summary, series, runs } = loaded;
  return (
    <AccountHistory
      account={account}
      backHref={`/${slug}/usage`}
      backLabel="Usage"
      basePath={`/${slug}/usage/accounts/${account.id}`}
      window={days}
      summary={summary}
      days={series}
      runs={runs}
      page={page}
      pageSize={PAGE_SIZE}
    />
  );
}
