import type { mailAccounts } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { checkImapHost } from "./check-imap-host";
import { type ConnectImapOptions, type ImapConnection, type ImapCredentials, connectImap } from "./connect-imap";
import { ImapError } from "./imap-error";

export type MailAccountRow = typeof mailAccounts.$inferSelect;

export type OpenAccountOptions = Omit<ConnectImapOptions, "credentials"> & {
  env?: Record<string, string | undefined>;
  // OAuth accounts: a fresh access token (the linking code refreshes it); defaults to the stored one.
  accessToken?: string;
};

/**
 * Connects to a stored account: decrypts its secret, re-checks the host (DNS may have changed
 * since it was added) and pins the checked address.
 */
export async function openAccountConnection(account: MailAccountRow, options: OpenAccountOptions = {}): Promise<ImapConnection> {
  const checked = await checkImapHost(account.imapHost, { env: options.env });
  return connectImap(
    { host: checked.host, address: checked.addresses[0], port: account.imapPort, security: account.imapSecurity, user: account.imapUser },
    { ...options, credentials: accountCredentials(account, options.accessToken) },
  );
}

export function accountCredentials(account: MailAccountRow, accessToken?: string): ImapCredentials {
  if (account.authKind === "password") {
    if (!account.encryptedPassword) throw new ImapError("auth", "The account has no stored password", { retryable: false });
    return { kind: "password", password: decryptSecret(account.encryptedPassword) };
  }
  const token = accessToken ?? (account.encryptedAccessToken ? decryptSecret(account.encryptedAccessToken) : null);
  if (!token) throw new ImapError("auth", "The account has no access token; it must be reconnected", { retryable: false });
  return { kind: "oauth2", accessToken: token };
}
