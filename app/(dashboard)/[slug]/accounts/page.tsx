import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getAccountsOverview } from "@/lib/accounts/get-accounts-overview";
import { IMAP_PRESETS } from "@/lib/accounts/imap-presets";
import { linkErrorMessage } from "@/lib/accounts/link-error-message";
import { mailProviderEnabled } from "@/lib/oauth/mail-providers";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";
import { AccountsView } from "./accounts-view";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage(props: PageProps<"/[slug]/accounts">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const params = await props.searchParams;
  const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);
  // The first state, rendered on the server; the view then polls the same data (GET /api/orgs/[slug]/accounts).
  const overview = await runAsOrg(ctx, (db) => getAccountsOverview(db, ctx));
  return (
    <>
      <PageHeader title="Accounts" description="Mailboxes linked to this organisation. Threadline keeps a searchable copy of their mail." />
      <AccountsView
        slug={slug}
        initial={overview}
        oauth={{ gmail: mailProviderEnabled("gmail"), outlook: mailProviderEnabled("outlook") }}
        presets={IMAP_PRESETS}
        linkedId={one(params.linked) ?? null}
        linkError={linkErrorMessage({ linkError: one(params.linkError), provider: one(params.provider), expected: one(params.expected), got: one(params.got) })}
      />
    </>
  );
}
