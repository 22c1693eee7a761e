"use client";

import { Link2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ROLE_LABELS, type Role, canRevokeInvitation } from "@/lib/tenancy/permissions";
import { revokeInvitationAction } from "./actions";

type InvitationRow = { id: string; role: Role; email: string | null; expiresAt: string; createdAt: string; invitedByName: string | null; invitedByEmail: string | null };

export function InvitationsList({ slug, viewerRole, invitations }: { slug: string; viewerRole: Role; invitations: InvitationRow[] }) {
  const router = useRouter();
  return (
    <section className="mt-8">
      <h2 className="mb-2 text-[13px] font-semibold text-ink">
        Pending invitations <span className="font-normal text-ink-faint tabular-nums">{invitations.length}</span>
      </h2>
      {invitations.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line-strong px-4 py-4 text-[13px] text-ink-muted">No pending invitations. Links you create appear here until they are used, revoked or expire.</p>
      ) : (
        <ul className="overflow-hidden rounded-lg border border-line bg-panel" data-testid="invitations-list">
          {invitations.map((invitation) => (
            <li key={invitation.id} className="flex items-center gap-3 border-b border-line px-4 py-2.5 last:border-0">
              <span className="flex size-[26px] items-center justify-center rounded-full border border-line bg-sunken text-ink-faint">
                <Link2 className="size-3.5" />
              </span>
              <div className="min-w-0 flex-1">
                <p className="truncate text-[13px] text-ink">{invitation.email ?? "Anyone with the link"}</p>
                <p className="truncate text-[12px] text-ink-faint">
                  by {invitation.invitedByName ?? invitation.invitedByEmail ?? "a former member"} · expires{" "}
                  <RelativeTime date={invitation.expiresAt} />
                </p>
              </div>
              <Badge>{ROLE_LABELS[invitation.role]}</Badge>
              {canRevokeInvitation(viewerRole, invitation.role) ? (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={async () => {
                    const message = actionErrorMessage(await revokeInvitationAction({ slug, invitationId: invitation.id }));
                    if (message) return toast.error(message);
                    toast.success("Invitation revoked");
                    router.refresh();
                  }}
                >
                  Revoke
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
