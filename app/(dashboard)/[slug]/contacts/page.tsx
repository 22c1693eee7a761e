import { Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getOrgContext } from "@/lib/tenancy/get-org-context";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage(props: PageProps<"/[slug]/contacts">) {
  const { slug } = await props.params;
  await getOrgContext(slug);
  return (
    <>
      <PageHeader title="Contacts" description="Everyone your team has exchanged mail with." />
      <EmptyState
        icon={Users}
        title="No contacts yet"
        action={
          <Button asChild variant="primary">
            <Link href={`/${slug}/accounts`}>Link a mailbox</Link>
          </Button>
        }
      >
        Contacts are built from the mail in linked mailboxes. Link Gmail, Outlook or IMAP to start.
      </EmptyState>
    </>
  );
}
