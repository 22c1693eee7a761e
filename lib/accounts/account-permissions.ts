import { hasRole, type Role } from "@/lib/tenancy/permissions";

/**
 * Mailbox rules, on top of membership (the guard):
 *  - any member may link their own mailboxes (Gmail, Outlook, IMAP) and ask for a sync;
 *  - the member who linked a mailbox, or an admin/owner, may reconnect or unlink it.
 */
export function canManageMailAccount(actor: { userId: string; role: Role }, account: { userId: string | null }): boolean {
  return account.userId === actor.userId || hasRole(actor.role, "admin");
}
