/**
 * Every role rule of the product, in one place. The guard (lib/tenancy) checks the coarse
 * `requiredRole`; the domain functions ask the finer questions below before they write.
 *
 *  - member: sees the organisation, its members and its data; may leave (unless last owner).
 *  - admin:  everything a member can, plus invite members, revoke member invitations,
 *            remove members (not admins or owners), see pending invitations and usage.
 *  - owner:  everything, including inviting admins, changing any role (making owners too)
 *            and removing admins and owners.
 *  - The last owner of an organisation can never be removed or demoted, not even by themself.
 */
export const ROLES = ["member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** Roles an invitation may grant: ownership is handed over by changing a role, never by a link. */
export const INVITABLE_ROLES = ["member", "admin"] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

export const permissions = {
  /** Minimum role to see pending invitations and create links. */
  manageInvitations: "admin",
  /** Minimum role to read organisation usage. */
  viewUsage: "admin",
} as const satisfies Record<string, Role>;

export function canInvite(actor: Role, invitedRole: Role): boolean {
  if (invitedRole === "owner") return false;
  if (invitedRole === "admin") return actor === "owner";
  return hasRole(actor, "admin");
}

/** Revoking follows inviting: you may revoke what you could have created. */
export function canRevokeInvitation(actor: Role, invitationRole: Role): boolean {
  return canInvite(actor, invitationRole);
}

export function canChangeRole(actor: Role, _targetCurrent: Role, _targetNext: Role): boolean {
  return actor === "owner";
}

export function canRemoveMember(actor: Role, target: Role, isSelf: boolean): boolean {
  if (isSelf) return true;
  if (actor === "owner") return true;
  return actor === "admin" && target === "member";
}

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member" };
