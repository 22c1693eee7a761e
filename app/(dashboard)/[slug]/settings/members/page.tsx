import type { Metadata } from "next";
import { SettingsTabs } from "@/components/contacts/settings-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { listPendingInvitations } from "@/lib/invitations/list-invitations";
import { listMembers } from "@/lib/orgs/list-members";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";
import { canInvite, hasRole, permissions } from "@/lib/tenancy/permissions";
import { InviteDialog } from "./invite-dialog";
import { InvitationsList } from "./invitations-list";
import { MembersTable } from "./members-table";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage(props: PageProps<"/[slug]/settings/members">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const canManage = hasRole(ctx.role, permissions.manageInvitations);
  const [members, invitations] = await runAsOrg(ctx, (db) => Promise.all([listMembers(db, ctx), canManage ? listPendingInvitations(db, ctx) : []]));
  const serialised = members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }));

  return (
    <>
      <SettingsTabs slug={slug} current="members" />
      <PageHeader
        title="Members"
        description={`People in ${ctx.org.name} and what they can do.`}
        actions={canManage ? <InviteDialog slug={slug} canInviteAdmins={canInvite(ctx.role, "admin")} /> : null}
      />
      <MembersTable slug={slug} initialMembers={serialised} viewer={{ id: ctx.user.id, role: ctx.role }} />
      {canManage ? (
        <InvitationsList
          slug={slug}
          viewerRole={ctx.role}
          invitations={invitations.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() }))}
        />
      ) : null}
      <RoleLegend />
    </>
  );
}

function RoleLegend() {
  return (
    <dl className="mt-8 grid grid-cols-3 gap-3 text-[12px]">
      {[
        ["Owner", "Everything, including changing roles, inviting admins and removing anyone."],
        ["Admin", "Invites and removes members, sees usage and pending invitations."],
        ["Member", "Uses the organisation's contacts and conversations; can leave."],
      ].map(([role, text]) => (
        <div key={role} className="rounded-lg border border-line bg-panel px-3 py-2.5">
          <dt className="font-medium text-ink">{role}</dt>
          <dd className="mt-0.5 text-ink-muted">{text}</dd>
        </div>
      ))}
    </dl>
  );
}
