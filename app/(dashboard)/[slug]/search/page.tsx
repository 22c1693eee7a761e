import { Search } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getOrgContext } from "@/lib/tenancy/get-org-context";

export const metadata: Metadata = { title: "Search" };

export default async function SearchPage(props: PageProps<"/[slug]/search">) {
  const { slug } = await props.params;
  const { q } = await props.searchParams;
  await getOrgContext(slug);
  const query = typeof q === "string" ? q.trim() : "";
  return (
    <>
      <PageHeader title="Search" description="Messages, people and companies across every linked mailbox." />
      <EmptyState icon={Search} title={query ? `No results for “${query}”` : "Nothing to search yet"}>
        Search covers the mail of linked mailboxes. Once a mailbox has synced, results appear here as you type.
      </EmptyState>
    </>
  );
}
