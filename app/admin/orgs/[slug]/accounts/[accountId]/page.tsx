import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AccountHistory } from "@/components/usage/account-history";
import { db } from "@/db";
import { findOrganizationBySlug } from "@/lib/admin/find-organization-by-slug";
import { requirePlatformAdmin } from "@/lib/admin/require-platform-admin";
import { findUsageAccount } from "@/lib/usage/find-usage-account";
import { getUsageSummary } from "@/lib/usage/get-usage-summary";
import { getUsageTimeseries } from "@/lib/usage/get-usage-timeseries";
import { listSyncRuns } from "@/lib/usage/list-sync-runs";
import { readUsageWindow } from "@/lib/usage/usage-scope";

export const metadata: Metadata = { title: "Account" };

const PAGE_SIZE = 50;

export default async function AdminAccountUsagePage(props: PageProps<"/admin/orgs/[slug]/accounts/[accountId]">) {
  await requirePlatformAdmin();
  const { slug, accountId } = await props.params;
  const org = await findOrganizationBySlug(db, slug);
  const account = org ? await findUsageAccount(db, { orgId: org.id, accountId }) : null;
  if (!org || !account) notFound();
  const searchParams = await props.searchParams;
  const days = readUsageWindow(searchParams.days);
  const page = Math.max(1, Math.min(10_000, Number(searchParams.page) || 1));
  const scope = { kind: "account" as const, orgId: org.id, accountId: account.id };
  const [summary, series, runs] = await Promise.all([
    getUsageSummary(db, scope, days),
    getUsageTimeseries(db, scope, days),
    listSyncRuns(db, { orgId: org.id, accountId: account.id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  ]);
  return (
    <AccountHistory
      account={account}
      backHref={`/admin/orgs/${org.slug}`}
      backLabel={org.name}
      basePath={`/admin/orgs/${org.slug}/accounts/${account.id}`}
      window={days}
      summary={summary}
      days={series}
      runs={runs}
      page={page}
      pageSize={PAGE_SIZE}
    />
  );
}
