import type { Database } from "@/db/connect";
import type { OrgContext } from "@/lib/tenancy/org-context";
import type { ConnectionFailure } from "./explain-connection-error";
import type { ImapSettings } from "./schemas";
import { type ConnectionTestOptions, type ConnectionSuccess, testImapConnection } from "./test-imap-connection";
import { upsertMailAccount } from "./upsert-mail-account";

export type LinkImapResult = (ConnectionSuccess & { accountId: string; created: boolean }) | ConnectionFailure;

/**
 * The IMAP form's "Link": logs in first (nothing is stored for credentials that do not work), then
 * stores the mailbox for the member in their organisation with the password encrypted. The same
 * address again updates that account (a new password, another server) and keeps its mail.
 */
export async function linkImapAccount(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, settings: ImapSettings, options: ConnectionTestOptions = {}): Promise<LinkImapResult> {
  const tested = await testImapConnection(settings, options);
  if (!tested.ok) return tested;
  const linked = await upsertMailAccount(db, {
    orgId: ctx.orgId,
    userId: ctx.user.id,
    provider: tested.gmail ? "gmail" : "imap",
    emailAddress: settings.emailAddress,
    displayName: settings.displayName || null,
    imap: { host: settings.host, port: settings.port, security: settings.security, user: settings.user },
    credentials: { kind: "password", password: settings.password },
  });
  return { ...tested, accountId: linked.id, created: linked.created };
}
