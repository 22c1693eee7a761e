import { ChartColumn, Lock } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { hasRole, permissions } from "@/lib/tenancy/permissions";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage(props: PageProps<"/[slug]/usage">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  if (!hasRole(ctx.role, permissions.viewUsage)) {
    return (
      <>
        <PageHeader title="Usage" />
        <EmptyState icon={Lock} title="Admins only">
          Usage is visible to the organisation&apos;s owners and admins. Ask one of them if you need the numbers.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Usage" description="Accounts, messages, storage and sync health for this organisation." />
      <EmptyState icon={ChartColumn} title="No usage yet">
        Numbers and charts appear once a mailbox is linked and syncing.
      </EmptyState>
    </>
  );
}
