import { and, count, countDistinct, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { mailAccounts, mailboxes, messageLocations, messages, syncRuns } from "@/db/schema";
import { syncAccount } from "@/lib/sync/sync-account";
import { type CliArgs, CliError, requirePositional } from "./args";

// sync <accountId> [--max-messages n] [--max-seconds s]: one incremental pass, summary as JSON.
export async function sync(args: CliArgs, db: Database) {
  const account = await findAccount(db, requirePositional(args, 0, "accountId"));
  const summary = await syncAccount({
    db,
    account,
    trigger: "cli",
    limits: { maxMessages: optionalNumber(args, "max-messages"), maxDurationMs: secondsToMs(optionalNumber(args, "max-seconds")) },
  });
  if (summary.outcome === "failed") process.exitCode = 1;
  const { mailboxes: folders, ...totals } = summary;
  return { ...totals, mailboxes: folders.filter((m) => !m.unchanged || m.error).map(({ mailboxId: _id, ...m }) => m), unchangedFolders: folders.filter((m) => m.unchanged).length };
}

// stats <accountId>: what is stored for the account.
export async function stats(args: CliArgs, db: Database) {
  const account = await findAccount(db, requirePositional(args, 0, "accountId"));
  const folders = await db
    .select({
      path: mailboxes.path,
      specialUse: mailboxes.specialUse,
      serverCount: mailboxes.serverCount,
      syncedCount: mailboxes.syncedCount,
      lastUid: mailboxes.lastUid,
      backfillUid: mailboxes.backfillUid,
      lastSyncAt: mailboxes.lastSyncAt,
    })
    .from(mailboxes)
    .where(and(eq(mailboxes.accountId, account.id), eq(mailboxes.orgId, account.orgId)))
    .orderBy(mailboxes.path);
  const [msg] = await db
    .select({ messages: count(), threads: countDistinct(messages.threadId), parseFailures: count(messages.parseError) })
    .from(messages)
    .where(and(eq(messages.accountId, account.id), eq(messages.orgId, account.orgId)));
  const [loc] = await db.select({ locations: count() }).from(messageLocations).where(and(eq(messageLocations.accountId, account.id), eq(messageLocations.orgId, account.orgId)));
  const contacts = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct mp.contact_id)::int as n from message_participants mp join messages m on m.id = mp.message_id
      where m.account_id = ${account.id} and mp.org_id = ${account.orgId} and mp.contact_id is not null`,
  );
  const runs = await db
    .select({ startedAt: syncRuns.startedAt, outcome: syncRuns.outcome, added: syncRuns.messagesAdded, updated: syncRuns.messagesUpdated, deleted: syncRuns.messagesDeleted, errorKind: syncRuns.errorKind, error: syncRuns.error })
    .from(syncRuns)
    .where(and(eq(syncRuns.accountId, account.id), eq(syncRuns.orgId, account.orgId), isNotNull(syncRuns.finishedAt)))
    .orderBy(desc(syncRuns.startedAt))
    .limit(5);
  return {
    account: { id: account.id, emailAddress: account.emailAddress, provider: account.provider, status: account.status, statusReason: account.statusReason, lastSyncAt: account.lastSyncAt },
    mailboxes: folders,
    messages: msg?.messages ?? 0,
    locations: loc?.locations ?? 0,
    threads: msg?.threads ?? 0,
    contacts: Number(contacts[0]?.n ?? 0),
    parseFailures: msg?.parseFailures ?? 0,
    recentRuns: runs,
  };
}

async function findAccount(db: Database, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new CliError(`"${id}" is not an account id (a UUID, as printed by account:add)`);
  const [account] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  if (!account) throw new CliError(`No mail account ${id}`);
  return account;
}

function optionalNumber(args: CliArgs, name: string): number | undefined {
  const value = args.flags[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !Number.isFinite(n) || n <= 0) throw new CliError(`--${name} must be a positive number`);
  return n;
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}
