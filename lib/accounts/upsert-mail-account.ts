import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { ImapSecurity } from "@/lib/imap/connect-imap";

export type MailAccountCredentials =
  | { kind: "password"; password: string }
  | { kind: "oauth2"; accessToken: string; refreshToken: string; expiresAt: Date | null; providerAccountId: string };

export type UpsertMailAccountInput = {
  orgId: string;
  userId: string;
  provider: "gmail" | "outlook" | "imap";
  emailAddress: string;
  displayName?: string | null;
  imap: { host: string; port: number; security: ImapSecurity; user: string };
  credentials: MailAccountCredentials;
};

/**
 * Links a mailbox to an organisation, or re-links it: one row per (organisation, address), so
 * linking the same mailbox again (reconnecting, a new password, switching from an app password to
 * OAuth) replaces the credentials and server settings and keeps everything synced so far. Secrets
 * are encrypted here, the only place they are written. The account becomes due for a sync.
 */
export async function upsertMailAccount(db: Database, input: UpsertMailAccountInput): Promise<{ id: string; created: boolean }> {
  const c = input.credentials;
  const password = c.kind === "password" ? encryptSecret(c.password) : null;
  const access = c.kind === "oauth2" ? encryptSecret(c.accessToken) : null;
  const refresh = c.kind === "oauth2" ? encryptSecret(c.refreshToken) : null;
  const expires = c.kind === "oauth2" && c.expiresAt ? c.expiresAt.toISOString() : null;
  const providerAccountId = c.kind === "oauth2" ? c.providerAccountId : null;
  const [row] = await queryRows<{ id: string; created: boolean }>(
    db,
    sql`insert into mail_accounts as a (
        org_id, user_id, provider, email_address, display_name, imap_host, imap_port, imap_security, imap_user,
        auth_kind, encrypted_password, encrypted_access_token, encrypted_refresh_token, token_expires_at,
        oauth_provider_account_id, status, next_sync_at)
      values (
        ${input.orgId}, ${input.userId}, ${input.provider}::mail_provider, ${input.emailAddress.trim()}, ${input.displayName ?? null},
        ${input.imap.host}, ${input.imap.port}, ${input.imap.security}::imap_security, ${input.imap.user},
        ${c.kind}::mail_auth_kind, ${password}, ${access}, ${refresh}, ${expires}::timestamptz,
        ${providerAccountId}, 'connecting', now())
      on conflict (org_id, lower(email_address)) do update set
        provider = excluded.provider,
        display_name = coalesce(excluded.display_name, a.display_name),
        imap_host = excluded.imap_host,
        imap_port = excluded.imap_port,
        imap_security = excluded.imap_security,
        imap_user = excluded.imap_user,
        auth_kind = excluded.auth_kind,
        encrypted_password = excluded.encrypted_password,
        encrypted_access_token = excluded.encrypted_access_token,
        encrypted_refresh_token = excluded.encrypted_refresh_token,
        token_expires_at = excluded.token_expires_at,
        oauth_provider_account_id = excluded.oauth_provider_account_id,
        -- The member who first linked it keeps it.
        user_id = coalesce(a.user_id, excluded.user_id),
        status = case when a.last_sync_at is null then 'connecting'::account_status else 'active'::account_status end,
        status_reason = null,
        consecutive_failures = 0,
        next_sync_at = now(),
        updated_at = now()
      returning a.id, (xmax = 0) as created`,
  );
  return { id: row!.id, created: Boolean(row!.created) };
}
