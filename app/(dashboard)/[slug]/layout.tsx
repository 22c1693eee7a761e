import { signOutAction } from "@/app/login/actions";
import { AppShell } from "@/components/shell/app-shell";
import { db } from "@/db";
import { listUserOrganizations } from "@/lib/orgs/list-user-organizations";
import { getOrgContext } from "@/lib/tenancy/get-org-context";

export default async function OrgLayout(props: LayoutProps<"/[slug]">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const orgs = await listUserOrganizations(db, ctx.user.id);
  return (
    <AppShell
      current={{ slug: ctx.org.slug, name: ctx.org.name, personal: ctx.org.personal, role: ctx.role }}
      orgs={orgs}
      user={{ name: ctx.user.name, email: ctx.user.email }}
      signOutAction={signOutAction}
    >
      {props.children}
    </AppShell>
  );
}
