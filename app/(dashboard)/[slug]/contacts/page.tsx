import type { Metadata } from "next";
import { ContactsTable } from "@/components/contacts/contacts-table";
import { PageHeader } from "@/components/ui/page-header";
import { parseContactListParams } from "@/lib/contacts/contact-list-params";
import { listContacts } from "@/lib/contacts/list-contacts";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage(props: PageProps<"/[slug]/contacts">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const params = parseContactListParams(await props.searchParams);
  const list = await runAsOrg(ctx, (db) => listContacts(db, ctx, params));
  return (
    <>
      <PageHeader title="Contacts" description="Everyone your team corresponds with, from every linked mailbox." />
      <ContactsTable slug={slug} params={params} list={list} />
    </>
  );
}
