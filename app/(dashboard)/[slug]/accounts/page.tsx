import { Inbox } from "lucide-react";
import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getOrgContext } from "@/lib/tenancy/get-org-context";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage(props: PageProps<"/[slug]/accounts">) {
  const { slug } = await props.params;
  await getOrgContext(slug);
  return (
    <>
      <PageHeader title="Accounts" description="Mailboxes linked to this organisation and their sync status." />
      <EmptyState icon={Inbox} title="No accounts yet" action={<Button variant="primary" disabled>Link a mailbox</Button>}>
        Link Gmail, Outlook or IMAP. Threadline keeps a searchable copy of the mail and builds your contacts from it.
      </EmptyState>
    </>
  );
}
