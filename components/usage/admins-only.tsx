import { Lock } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** What a member sees on an organisation's usage pages: a plain refusal, and who to ask. */
export function AdminsOnly() {
  return (
    <>
      <PageHeader title="Usage" />
      <div data-testid="usage-admins-only">
        <EmptyState icon={Lock} title="Admins only">
          Usage is visible to the organisation&apos;s owners and admins. Ask one of them if you need the numbers.
        </EmptyState>
      </div>
    </>
  );
}
