import type { Metadata } from "next";
import { AccountsUsageTable } from "@/components/usage/accounts-usage-table";
import { OrgsUsageTable } from "@/components/usage/orgs-usage-table";
import { accountRow, orgRow } from "@/components/usage/rows";
import { SectionTitle, UsageOverview } from "@/components/usage/usage-overview";
import { WindowPicker } from "@/components/usage/window-picker";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db";
import { requirePlatformAdmin } from "@/lib/admin/require-platform-admin";
import { getUsageSummary } from "@/lib/usage/get-usage-summary";
import { getUsageTimeseries } from "@/lib/usage/get-usage-timeseries";
import { listAccountUsage } from "@/lib/usage/list-account-usage";
import { listOrganizationUsage } from "@/lib/usage/list-organization-usage";
import { readUsageWindow } from "@/lib/usage/usage-scope";

export const metadata: Metadata = { title: "Usage" };

export default async function PlatformUsagePage(props: PageProps<"/admin">) {
  // The layout checks too; pages check again because layouts and pages render independently.
  await requirePlatformAdmin();
  const searchParams = await props.searchParams;
  const days = readUsageWindow(searchParams.days);
  const scope = { kind: "platform" as const };
  const [summary, series, orgs, accounts] = await Promise.all([
    getUsageSummary(db, scope, days),
    getUsageTimeseries(db, scope, days),
    listOrganizationUsage(db, days),
    listAccountUsage(db, scope, days),
  ]);
  return (
    <>
      <PageHeader title="Platform usage" description="Every organisation on this Threadline. Days are UTC." actions={<WindowPicker basePath="/admin" days={days} />} />
      <UsageOverview summary={summary} days={series} window={days} scopeLabel="platform" />
      <SectionTitle detail={`${orgs.length.toLocaleString("en-US")} organisations`}>Organisations</SectionTitle>
      <div className="mb-6">
        <OrgsUsageTable rows={orgs.map(orgRow)} urlSort={searchParams.orgs} />
      </div>
      <SectionTitle detail="Click an account for its sync history">Accounts</SectionTitle>
      <AccountsUsageTable rows={accounts.map(accountRow)} linkBase="admin" showOrg urlSort={searchParams.accounts} />
    </>
  );
}
