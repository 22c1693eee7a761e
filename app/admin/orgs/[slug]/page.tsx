import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountsUsageTable } from "@/components/usage/accounts-usage-table";
import { accountRow } from "@/components/usage/rows";
import { SectionTitle, UsageOverview } from "@/components/usage/usage-overview";
import { WindowPicker } from "@/components/usage/window-picker";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db";
import { findOrganizationBySlug } from "@/lib/admin/find-organization-by-slug";
import { requirePlatformAdmin } from "@/lib/admin/require-platform-admin";
import { getUsageSummary } from "@/lib/usage/get-usage-summary";
import { getUsageTimeseries } from "@/lib/usage/get-usage-timeseries";
import { listAccountUsage } from "@/lib/usage/list-account-usage";
import { readUsageWindow } from "@/lib/usage/usage-scope";

export async function generateMetadata(props: PageProps<"/admin/orgs/[slug]">): Promise<Metadata> {
  return { title: (await props.params).slug };
}

export default async function AdminOrgUsagePage(props: PageProps<"/admin/orgs/[slug]">) {
  await requirePlatformAdmin();
  const { slug } = await props.params;
  const org = await findOrganizationBySlug(db, slug);
  if (!org) notFound();
  const searchParams = await props.searchParams;
  const days = readUsageWindow(searchParams.days);
  const scope = { kind: "org" as const, orgId: org.id };
  const [summary, series, accounts] = await Promise.all([getUsageSummary(db, scope, days), getUsageTimeseries(db, scope, days), listAccountUsage(db, scope, days)]);
  return (
    <>
      <Link href="/admin" className="mb-3 inline-flex items-center gap-1 text-[12px] text-ink-muted hover:text-ink">
        <ChevronLeft className="size-3.5" /> All organisations
      </Link>
      <PageHeader
        title={org.name}
        description={`/${org.slug}${org.personal ? " · personal organisation" : ""} · ${org.members} member${org.members === 1 ? "" : "s"}`}
        actions={<WindowPicker basePath={`/admin/orgs/${org.slug}`} days={days} />}
      />
      <UsageOverview summary={summary} days={series} window={days} scopeLabel="organisation" />
      <SectionTitle detail="Click an account for its sync history">Accounts</SectionTitle>
      <AccountsUsageTable rows={accounts.map(accountRow)} linkBase="admin" urlSort={searchParams.accounts} />
    </>
  );
}
