"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Ellipsis } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Select } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { ROLE_LABELS, ROLES, type Role, canChangeRole, canRemoveMember } from "@/lib/tenancy/permissions";
import { changeMemberRoleAction, removeMemberAction } from "./actions";

export type MemberRow = { userId: string; name: string | null; email: string | null; role: Role; joinedAt: string };

export function MembersTable({ slug, initialMembers, viewer }: { slug: string; initialMembers: MemberRow[]; viewer: { id: string; role: Role } }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const queryKey = ["orgs", slug, "members"];
  const { data: members } = useQuery({
    queryKey,
    queryFn: async (): Promise<MemberRow[]> => {
      const response = await fetch(`/api/orgs/${slug}/members`);
      if (!response.ok) throw new Error(`Could not load members (${response.status})`);
      return (await response.json()).members;
    },
    initialData: initialMembers,
  });

  const ownerCount = members.filter((m) => m.role === "owner").length;

  async function run(promise: Promise<Parameters<typeof actionErrorMessage>[0]>, success: string) {
    const message = actionErrorMessage(await promise);
    if (message) return toast.error(message);
    toast.success(success);
    await queryClient.invalidateQueries({ queryKey });
  }

  return (
    <div className="overflow-hidden rounded-lg border border-line bg-panel">
      <table className="w-full text-[13px]" data-testid="members-table">
        <thead className="sticky top-0 bg-sunken text-left text-[12px] text-ink-muted">
          <tr className="border-b border-line">
            <th className="h-9 px-4 font-medium">Name</th>
            <th className="h-9 w-[160px] px-4 font-medium">Role</th>
            <th className="h-9 w-[140px] px-4 font-medium">Joined</th>
            <th className="h-9 w-[52px] px-2" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const isSelf = member.userId === viewer.id;
            // The server refuses these too; hiding them spares a pointless round trip.
            const lastOwner = member.role === "owner" && ownerCount === 1;
            const removable = !lastOwner && canRemoveMember(viewer.role, member.role, isSelf);
            const roleEditable = !lastOwner && canChangeRole(viewer.role, member.role, member.role);
            return (
              <tr key={member.userId} className="border-b border-line last:border-0 hover:bg-hover/40" data-testid="member-row" data-email={member.email ?? ""}>
                <td className="px-4 py-2">
                  <div className="flex items-center gap-2.5">
                    <Avatar name={member.name || member.email} size={26} />
                    <div className="min-w-0">
                      <p className="truncate font-medium text-ink">
                        {member.name || member.email}
                        {isSelf ? <span className="ml-1.5 font-normal text-ink-faint">(you)</span> : null}
                      </p>
                      <p className="truncate text-[12px] text-ink-faint">{member.email}</p>
                    </div>
                  </div>
                </td>
                <td className="px-4 py-2">
                  {roleEditable ? (
                    <Select
                      aria-label={`Role of ${member.email}`}
                      className="h-7 w-[120px] text-[12px]"
                      value={member.role}
                      onChange={(event) =>
                        run(changeMemberRoleAction({ slug, userId: member.userId, role: event.target.value as Role }), "Role updated")
                      }
                    >
                      {[...ROLES].reverse().map((role) => (
                        <option key={role} value={role}>
                          {ROLE_LABELS[role]}
                        </option>
                      ))}
                    </Select>
                  ) : (
                    <Badge tone={member.role === "member" ? "neutral" : "accent"}>
                      <span data-testid="member-role">{ROLE_LABELS[member.role]}</span>
                    </Badge>
                  )}
                </td>
                <td className="px-4 py-2 text-ink-muted tabular-nums">
                  <RelativeTime date={member.joinedAt} />
                </td>
                <td className="px-2 py-2 text-right">
                  {removable ? (
                    <DropdownMenu>
                      <DropdownMenuTrigger className="rounded-md p-1.5 text-ink-faint outline-none hover:bg-hover hover:text-ink" aria-label={`Actions for ${member.email}`}>
                        <Ellipsis className="size-4" />
                      </DropdownMenuTrigger>
                      <DropdownMenuContent align="end" className="min-w-[180px]">
                        <DropdownMenuItem
                          className="text-danger"
                          onSelect={async () => {
                            const what = isSelf ? "Leave this organisation? You will lose access to its data." : `Remove ${member.email} from the organisation? They lose access at once.`;
                            if (!window.confirm(what)) return;
                            const result = await removeMemberAction({ slug, userId: member.userId });
                            const message = actionErrorMessage(result);
                            if (message) return toast.error(message);
                            if (isSelf) return router.push("/");
                            toast.success("Member removed");
                            await queryClient.invalidateQueries({ queryKey });
                          }}
                        >
                          {isSelf ? "Leave organisation" : "Remove from organisation"}
                        </DropdownMenuItem>
                      </DropdownMenuContent>
                    </DropdownMenu>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
