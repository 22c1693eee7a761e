import { eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { mailAccounts } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { isOAuthMailProvider, MAIL_PROVIDERS, type OAuthMailProvider, oauthClientCredentials } from "./mail-providers";
import { OAuthGrantRevokedError, type RefreshedTokens, requestTokenRefresh } from "./request-token-refresh";
import { resolveTokenEndpoint } from "./token-endpoint";

/** Tokens expiring within this are refreshed before an IMAP login. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
const REPLACED_MIN_VALIDITY_MS = 1_000;

type AccountRow = typeof mailAccounts.$inferSelect;

export type FreshToken = { accessToken: string; expiresAt: Date | null; refreshed: boolean };

export type FreshTokenOptions = {
  minValidityMs?: number;
  // Refresh even though the stored token looks valid (the server just refused it), unless another
  // caller replaced that token meanwhile.
  force?: boolean;
};

export type TokenRefresherOptions = {
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
};

/** The account can no longer sync until its owner reconnects it. */
export class ReconnectNeededError extends Error {
  readonly syncFailureKind = "auth";
  constructor(message: string) {
    super(message);
    this.name = "ReconnectNeededError";
  }
}

/**
 * Access tokens for OAuth mailboxes, refreshed when they expire within five minutes. One refresh
 * per account at a time: concurrent callers in this process share one request, and on Postgres
 * (several processes) the account row is locked while refreshing, so a second process waits and
 * then uses the token the first one stored. Rotated refresh tokens are stored; a refused grant
 * (invalid_grant) stops the account in `reconnect_needed` with the reason, and nothing retries it.
 */
export function createTokenRefresher(options: TokenRefresherOptions = {}) {
  const inflight = new Map<string, Promise<FreshToken>>();

  async function getFreshToken(db: Database, accountId: string, opts: FreshTokenOptions = {}): Promise<FreshToken> {
    const margin = opts.minValidityMs ?? REFRESH_MARGIN_MS;
    const seen = usable(await loadAccount(db, accountId));
    if (!opts.force && isFresh(seen, margin)) return stored(seen);
    let pending = inflight.get(accountId);
    if (!pending) {
      pending = refreshOnce(db, seen, margin, opts.force === true).finally(() => inflight.delete(accountId));
      inflight.set(accountId, pending);
    }
    return pending;
  }

  async function refreshOnce(db: Database, seen: AccountRow, margin: number, force: boolean): Promise<FreshToken> {
    const outcome = await withAccountLock(db, seen.id, async (tx, current) => {
      const account = usable(current);
      // Another caller refreshed while we waited for the lock: its token is the answer (even one
      // shorter-lived than the margin; refreshing again would only burn a rotated refresh token).
      const replaced = account.encryptedAccessToken !== seen.encryptedAccessToken;
      if (replaced && isFresh(account, REPLACED_MIN_VALIDITY_MS)) return { token: stored(account) };
      if (!force && isFresh(account, margin)) return { token: stored(account) };
      try {
        const tokens = await refresh(account);
        return { token: await store(tx, account, tokens) };
      } catch (error) {
        if (!(error instanceof OAuthGrantRevokedError)) throw error;
        // Recorded inside the lock, thrown after it commits.
        const reason = `${MAIL_PROVIDERS[account.provider as OAuthMailProvider].label} no longer accepts Threadline's access to this mailbox (consent revoked or expired). Reconnect it to resume syncing. ${error.message}`;
        await markGrantRevoked(tx, account.id, reason);
        return { revoked: new ReconnectNeededError(reason) };
      }
    });
    if ("revoked" in outcome) throw outcome.revoked;
    return outcome.token;
  }

  async function refresh(account: AccountRow): Promise<RefreshedTokens> {
    const provider = account.provider as OAuthMailProvider;
    const { clientId, clientSecret } = oauthClientCredentials(provider, options.env);
    const tokenUrl = await resolveTokenEndpoint(provider, { env: options.env, fetch: options.fetch });
    return requestTokenRefresh({
      tokenUrl,
      refreshToken: decryptSecret(account.encryptedRefreshToken!),
      clientId,
      clientSecret,
      scope: MAIL_PROVIDERS[provider].refreshScope,
      fetch: options.fetch,
    });
  }

  return { getFreshToken };
}

const holder = globalThis as unknown as { threadlineTokenRefresher?: ReturnType<typeof createTokenRefresher> };

/** This process's refresher: one in-flight map however many bundles import this module. */
export function tokenRefresher() {
  return (holder.threadlineTokenRefresher ??= createTokenRefresher());
}

/** A valid access token for the account, refreshed first when it expires within five minutes. */
export async function getFreshAccessToken(db: Database, accountId: string, opts: FreshTokenOptions = {}): Promise<string> {
  return (await tokenRefresher().getFreshToken(db, accountId, opts)).accessToken;
}

function usable(account: AccountRow): AccountRow {
  if (account.authKind !== "oauth2" || !isOAuthMailProvider(account.provider)) throw new Error(`Account ${account.id} does not sign in with OAuth`);
  if (account.status === "reconnect_needed") throw new ReconnectNeededError(account.statusReason ?? "The account must be reconnected.");
  if (!account.encryptedAccessToken || !account.encryptedRefreshToken) throw new ReconnectNeededError("The account has no stored OAuth tokens: reconnect it.");
  return account;
}

function isFresh(account: AccountRow, margin: number): boolean {
  return account.tokenExpiresAt !== null && account.tokenExpiresAt.getTime() - Date.now() > margin;
}

function stored(account: AccountRow): FreshToken {
  return { accessToken: decryptSecret(account.encryptedAccessToken!), expiresAt: account.tokenExpiresAt, refreshed: false };
}

async function store(tx: Database | Transaction, account: AccountRow, tokens: RefreshedTokens): Promise<FreshToken> {
  // A token without a stated lifetime is treated as an hour's (both providers issue 60–90 minutes).
  const expiresAt = tokens.expiresAt ?? new Date(Date.now() + 3_600_000);
  await tx
    .update(mailAccounts)
    .set({
      encryptedAccessToken: encryptSecret(tokens.accessToken),
      ...(tokens.refreshToken ? { encryptedRefreshToken: encryptSecret(tokens.refreshToken) } : {}),
      tokenExpiresAt: expiresAt,
      updatedAt: sql`now()`,
    })
    .where(eq(mailAccounts.id, account.id));
  return { accessToken: tokens.accessToken, expiresAt, refreshed: true };
}

async function markGrantRevoked(tx: Database | Transaction, accountId: string, reason: string) {
  await tx
    .update(mailAccounts)
    .set({
      status: sql`case when ${mailAccounts.status} = 'paused' then ${mailAccounts.status} else 'reconnect_needed'::account_status end`,
      statusReason: reason.slice(0, 1000),
      // Dead credentials are not kept.
      encryptedAccessToken: null,
      encryptedRefreshToken: null,
      tokenExpiresAt: null,
      nextSyncAt: null,
      lastErrorAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(mailAccounts.id, accountId));
}

async function loadAccount(db: Database | Transaction, accountId: string, lock = false): Promise<AccountRow> {
  const query = db.select().from(mailAccounts).where(eq(mailAccounts.id, accountId));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new Error(`No mail account ${accountId}`);
  return row;
}

/**
 * Runs `work` with the account row locked against other processes (Postgres: SELECT … FOR UPDATE in
 * a transaction). The embedded database belongs to one process, where the in-flight map is enough,
 * and a transaction there would hold up every other query during the HTTP request.
 */
async function withAccountLock<T>(db: Database, accountId: string, work: (tx: Database | Transaction, account: AccountRow) => Promise<T>): Promise<T> {
  if (!sharedByProcesses(db)) return work(db, await loadAccount(db, accountId));
  return db.transaction(async (tx) => work(tx, await loadAccount(tx, accountId, true)));
}

// postgres.js's client is the `sql` tag function; PGlite's is an object.
function sharedByProcesses(db: Database): boolean {
  return typeof (db as unknown as { $client?: unknown }).$client === "function";
}
