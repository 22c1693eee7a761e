import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { mailAccounts, users } from "@/db/schema";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { canManageMailAccount } from "./account-permissions";

export type MailAccountSummary = {
  id: string;
  provider: "gmail" | "outlook" | "imap";
  authKind: "password" | "oauth2";
  emailAddress: string;
  displayName: string | null;
  imap: { host: string; port: number; security: string; user: string };
  status: "connecting" | "syncing" | "active" | "reconnect_needed" | "error" | "paused";
  statusReason: string | null;
  // Credentials removed (unlinked with the mail kept): it can only be linked again.
  unlinked: boolean;
  lastSyncAt: string | null;
  linkedBy: { id: string; name: string | null; email: string | null } | null;
  messages: number;
  folders: number;
  canManage: boolean;
};

/** The organisation's mailboxes for the accounts page: no secret ever leaves this function. */
export async function listMailAccounts(db: Database, ctx: Pick<OrgContext, "orgId" | "user" | "role">): Promise<MailAccountSummary[]> {
  const rows = await db
    .select({
      id: mailAccounts.id,
      provider: mailAccounts.provider,
      authKind: mailAccounts.authKind,
      emailAddress: mailAccounts.emailAddress,
      displayName: mailAccounts.displayName,
      imapHost: mailAccounts.imapHost,
      imapPort: mailAccounts.imapPort,
      imapSecurity: mailAccounts.imapSecurity,
      imapUser: mailAccounts.imapUser,
      status: mailAccounts.status,
      statusReason: mailAccounts.statusReason,
      hasSecret: sql<boolean>`(${mailAccounts.encryptedPassword} is not null or ${mailAccounts.encryptedRefreshToken} is not null)`,
      lastSyncAt: mailAccounts.lastSyncAt,
      userId: mailAccounts.userId,
      userName: users.name,
      userEmail: users.email,
      messages: sql<number>`(select count(*)::int from messages m where m.account_id = ${mailAccounts.id} and m.org_id = ${ctx.orgId})`,
      folders: sql<number>`(select count(*)::int from mailboxes b where b.account_id = ${mailAccounts.id} and b.org_id = ${ctx.orgId})`,
    })
    .from(mailAccounts)
    .leftJoin(users, eq(users.id, mailAccounts.userId))
    .where(eq(mailAccounts.orgId, ctx.orgId))
    .orderBy(asc(sql`lower(${mailAccounts.emailAddress})`));
  return rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    authKind: r.authKind,
    emailAddress: r.emailAddress,
    displayName: r.displayName,
    imap: { host: r.imapHost, port: r.imapPort, security: r.imapSecurity, user: r.imapUser },
    status: r.status,
    statusReason: r.statusReason,
    unlinked: !r.hasSecret && r.status === "paused",
    lastSyncAt: r.lastSyncAt?.toISOString() ?? null,
    linkedBy: r.userId ? { id: r.userId, name: r.userName, email: r.userEmail } : null,
    messages: Number(r.messages),
    folders: Number(r.folders),
    canManage: canManageMailAccount({ userId: ctx.user.id, role: ctx.role }, { userId: r.userId }),
  }));
}
