import type { Metadata } from "next";
import { ContactSettings } from "@/components/contacts/contact-settings";
import { SettingsTabs } from "@/components/contacts/settings-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { MANAGE_CONTACT_SETTINGS_ROLE } from "@/lib/contacts/contact-settings-schemas";
import { getContactSettings } from "@/lib/contacts/get-contact-settings";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";
import { hasRole } from "@/lib/tenancy/permissions";
import { addBlockedSenderAction, removeBlockedSenderAction, setContactPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Contact settings" };

export default async function ContactSettingsPage(props: PageProps<"/[slug]/settings/contacts">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const settings = await runAsOrg(ctx, (db) => getContactSettings(db, ctx));
  return (
    <>
      <SettingsTabs slug={slug} current="contacts" />
      <PageHeader title="Contacts" description={`How ${ctx.org.name} builds its contact book from synced mail.`} />
      <ContactSettings
        slug={slug}
        canEdit={hasRole(ctx.role, MANAGE_CONTACT_SETTINGS_ROLE)}
        policy={settings.policy}
        blocked={settings.blocked}
        actions={{ setPolicy: setContactPolicyAction, addBlocked: addBlockedSenderAction, removeBlocked: removeBlockedSenderAction }}
      />
    </>
  );
}
