import { db as appDb } from "@/db";
import type { Database } from "@/db/connect";
import type { mailAccounts } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { OAuthConfigError } from "@/lib/oauth/mail-providers";
import { getFreshAccessToken, ReconnectNeededError } from "@/lib/oauth/get-fresh-access-token";
import { OAuthClientRejectedError, OAuthGrantRevokedError, OAuthTemporaryError } from "@/lib/oauth/request-token-refresh";
import { checkImapHost } from "./check-imap-host";
import { type ConnectImapOptions, type ImapConnection, type ImapCredentials, connectImap } from "./connect-imap";
import { ImapError } from "./imap-error";

export type MailAccountRow = typeof mailAccounts.$inferSelect;

export type OpenAccountOptions = Omit<ConnectImapOptions, "credentials"> & {
  env?: Record<string, string | undefined>;
  // OAuth accounts: use this token as is; by default a fresh one is fetched (refreshed when it
  // expires within five minutes) and stored.
  accessToken?: string;
  // Where OAuth tokens are refreshed and stored; the app's database by default.
  db?: Database;
};

/**
 * Connects to a stored account: decrypts its secret (OAuth: a fresh access token), re-checks the
 * host (DNS may have changed since it was added) and pins the checked address. An OAuth login the
 * server refuses is retried once with a newly refreshed token; a refused refresh ends as an `auth`
 * ImapError whose message says to reconnect.
 */
export async function openAccountConnection(account: MailAccountRow, options: OpenAccountOptions = {}): Promise<ImapConnection> {
  const checked = await checkImapHost(account.imapHost, { env: options.env });
  const { db: database, accessToken, ...connectOptions } = options;
  const connect = (credentials: ImapCredentials) =>
    connectImap({ host: checked.host, address: checked.addresses[0], port: account.imapPort, security: account.imapSecurity, user: account.imapUser }, { ...connectOptions, credentials });
  if (account.authKind !== "oauth2" || accessToken) return connect(accountCredentials(account, accessToken));

  const db = database ?? appDb;
  const token = await oauthToken(() => getFreshAccessToken(db, account.id));
  try {
    return await connect({ kind: "oauth2", accessToken: token });
  } catch (error) {
    if (!(error instanceof ImapError) || error.kind !== "auth") throw error;
    // Revoked early or invalidated by the provider: a new token decides between "works" and "reconnect".
    const retried = await oauthToken(() => getFreshAccessToken(db, account.id, { force: true }));
    return connect({ kind: "oauth2", accessToken: retried });
  }
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

/** OAuth failures in the sync's terms: reconnect (auth), try later (network), or an operator problem. */
async function oauthToken(get: () => Promise<string>): Promise<string> {
  try {
    return await get();
  } catch (error) {
    if (error instanceof ReconnectNeededError || error instanceof OAuthGrantRevokedError) throw new ImapError("auth", error.message, { retryable: false, cause: error });
    if (error instanceof OAuthTemporaryError) {
      throw new ImapError("network", `Could not refresh the access token: ${error.message}`, { retryable: true, retryAfterMs: error.retryAfterMs ?? null, cause: error });
    }
    if (error instanceof OAuthClientRejectedError || error instanceof OAuthConfigError) throw new ImapError("protocol", error.message, { retryable: false, cause: error });
    throw error;
  }
}
