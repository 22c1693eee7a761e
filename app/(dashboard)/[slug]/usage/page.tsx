import type { Metadata } from "next";
import { AccountsUsageTable } from "@/components/usage/accounts-usage-table";
import { AdminsOnly } from "@/components/usage/admins-only";
import { accountRow } from "@/components/usage/rows";
import { SectionTitle, UsageOverview } from "@/components/usage/usage-overview";
import { WindowPicker } from "@/components/usage/window-picker";
import { PageHeader } from "@/components/ui/page-header";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";
import { hasRole, permissions } from "@/lib/tenancy/permissions";
import { getUsageSummary } from "@/lib/usage/get-usage-summary";
import { getUsageTimeseries } from "@/lib/usage/get-usage-timeseries";
import { listAccountUsage } from "@/lib/usage/list-account-usage";
import { readUsageWindow } from "@/lib/usage/usage-scope";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage(props: PageProps<"/[slug]/usage">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  if (!hasRole(ctx.role, permissions.viewUsage)) return <AdminsOnly />;
  const searchParams = await props.searchParams;
  const days = readUsageWindow(searchParams.days);
  const scope = { kind: "org" as const, orgId: ctx.orgId };
  const [summary, series, accounts] = await runAsOrg(ctx, (db) =>
    Promise.all([getUsageSummary(db, scope, days), getUsageTimeseries(db, scope, days), listAccountUsage(db, scope, days)]),
  );
  return (
    <>
      <PageHeader
        title="Usage"
        description={`Accounts, messages, storage and sync health of ${ctx.org.name}. Days are UTC.`}
        actions={<WindowPicker basePath={`/${slug}/usage`} days={days} />}
      />
      <UsageOverview summary={summary} days={series} window={days} scopeLabel="organisation" />
      <SectionTitle detail="Click an account for its sync history">Accounts</SectionTitle>
      <AccountsUsageTable rows={accounts.map(accountRow)} linkBase="org" urlSort={searchParams.accounts} />
    </>
  );
}
