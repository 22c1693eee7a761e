import type { Database } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { checkImapHost } from "./check-imap-host";
import { type ConnectImapOptions, type ImapSecurity, closeImap, connectImap } from "./connect-imap";

export type AddImapAccountInput = {
  orgId: string;
  userId?: string | null;
  host: string;
  port: number;
  security: ImapSecurity;
  user: string;
  password: string;
  emailAddress: string;
  displayName?: string | null;
  // Log in once before storing anything (default true): a typo fails here, not in the first sync.
  verify?: boolean;
  env?: Record<string, string | undefined>;
  // Test hook (self-signed certificates).
  tls?: ConnectImapOptions["tls"];
};

export class DuplicateAccountError extends Error {
  constructor(address: string) {
    super(`The mailbox ${address} is already linked in this organisation`);
    this.name = "DuplicateAccountError";
  }
}

/**
 * Links a password-authenticated IMAP mailbox (CLI `account:add`, the web form): checks the host is
 * allowed, logs in to prove the credentials, and stores the password encrypted. A server with
 * Gmail's extensions is recorded as a Gmail account so the sync reads All Mail only.
 */
export async function addImapAccount(db: Database, input: AddImapAccountInput) {
  const emailAddress = input.emailAddress.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(emailAddress)) throw new Error(`"${input.emailAddress}" is not an email address`);
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) throw new Error(`Port ${input.port} is not valid`);
  const checked = await checkImapHost(input.host, { env: input.env });
  let provider: "imap" | "gmail" = "imap";
  if (input.verify !== false) {
    const client = await connectImap(
      { host: checked.host, address: checked.addresses[0], port: input.port, security: input.security, user: input.user },
      { credentials: { kind: "password", password: input.password }, tls: input.tls, timeouts: { connectMs: 15_000, greetingMs: 15_000, commandMs: 30_000 } },
    );
    if (client.capabilities.has("X-GM-EXT-1")) provider = "gmail";
    await closeImap(client);
  }
  const [account] = await db
    .insert(mailAccounts)
    .values({
      orgId: input.orgId,
      userId: input.userId ?? null,
      provider,
      emailAddress,
      displayName: input.displayName ?? null,
      imapHost: checked.host,
      imapPort: input.port,
      imapSecurity: input.security,
      imapUser: input.user,
      authKind: "password",
      encryptedPassword: encryptSecret(input.password),
      status: "connecting",
    })
    // The only unique key besides the id is (org, lower(address)).
    .onConflictDoNothing()
    .returning();
  if (!account) throw new DuplicateAccountError(emailAddress);
  return account;
}
