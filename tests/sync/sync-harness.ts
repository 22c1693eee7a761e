import { sql } from "drizzle-orm";
import type { ImapFlow } from "imapflow";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import { type MailAccountRow, openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";
import type { SyncLimits, SyncSummary } from "@/lib/sync/types";
import { type DovecotServer, type StartDovecotOptions, startDovecot } from "../support/dovecot";
import { insertImapAccount } from "../support/fixtures";
import { type ServerMessage, openSeedClient, readFolder } from "../support/mail-seed";
import { type TestDatabase, type TestDatabaseEngine, createTestDatabase } from "../support/test-database";

export type SyncHarness = {
  server: DovecotServer;
  database: TestDatabase;
  db: Database;
  account: MailAccountRow;
  // A seeding connection, as another mail client.
  seed: ImapFlow;
  // Every IMAP command the sync sent during the last sync() call.
  commands: string[];
  sync(options?: { limits?: SyncLimits; signal?: AbortSignal; onProgress?: () => void }): Promise<SyncSummary>;
  close(): Promise<void>;
};

/** A Dovecot, a fresh migrated database, an organisation and an account pointing at the Dovecot. */
export async function startSyncHarness(options: { dovecot?: StartDovecotOptions; engine?: TestDatabaseEngine } = {}): Promise<SyncHarness> {
  const [server, database] = await Promise.all([startDovecot(options.dovecot), createTestDatabase({ engine: options.engine ?? "postgres" })]);
  const db = database.db;
  const account = await insertImapAccount(db, server);
  const seed = await openSeedClient(server);
  const commands: string[] = [];
  return {
    server,
    database,
    db,
    account,
    seed,
    commands,
    async sync(opts = {}) {
      commands.length = 0;
      const [fresh] = await db.select().from(t.mailAccounts).where(sql`${t.mailAccounts.id} = ${account.id}`);
      return syncAccount({
        db,
        account: fresh!,
        limits: opts.limits,
        signal: opts.signal,
        onProgress: opts.onProgress,
        connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" }, onCommand: (line) => commands.push(line) }),
      });
    },
    async close() {
      await seed.logout().catch(() => seed.close());
      await Promise.all([server.stop(), database.close()]);
    },
  };
}

/** What the database holds for one folder, in the shape readFolder() gives for the server. */
export async function readStoredFolder(db: Database, accountId: string, folder: string): Promise<ServerMessage[]> {
  const rows = await queryRows<{ uid: number | string; flags: string[]; dedupe_key: string }>(
    db,
    sql`select l.uid, l.flags, m.dedupe_key from message_locations l
      join mailboxes b on b.id = l.mailbox_id join messages m on m.id = l.message_id
      where b.account_id = ${accountId} and b.path = ${folder} order by l.uid`,
  );
  return rows.map((r) => ({ uid: Number(r.uid), flags: [...r.flags].sort(), sha256: r.dedupe_key.replace(/^sha256:/, "") }));
}

/** Every selectable folder on the server equals its stored copy, and no message lacks a location. */
export async function expectInSync(h: Pick<SyncHarness, "db" | "seed" | "account">, folders?: string[]) {
  const names = folders ?? (await h.seed.list()).filter((f) => !f.flags.has("\\Noselect")).map((f) => f.path);
  const mismatches: string[] = [];
  for (const folder of names) {
    const [server, stored] = await Promise.all([readFolder(h.seed, folder), readStoredFolder(h.db, h.account.id, folder)]);
    if (JSON.stringify(server) !== JSON.stringify(stored)) {
      mismatches.push(`${folder}:\n  server ${JSON.stringify(server)}\n  stored ${JSON.stringify(stored)}`);
    }
  }
  const stored = await queryRows<{ path: string }>(h.db, sql`select path from mailboxes where account_id = ${h.account.id}`);
  const extra = stored.map((r) => r.path).filter((p) => !names.includes(p));
  if (extra.length) mismatches.push(`stored folders not on the server: ${extra.join(", ")}`);
  const orphans = await countOrphans(h.db, h.account.id);
  if (orphans) mismatches.push(`${orphans} stored messages have no location`);
  if (mismatches.length) throw new Error(`database differs from the server:\n${mismatches.join("\n")}`);
}

export async function countOrphans(db: Database, accountId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from messages m where m.account_id = ${accountId} and not exists (select 1 from message_locations l where l.message_id = m.id)`,
  );
  return Number(rows[0]!.n);
}

export async function countMessages(db: Database, accountId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from messages where account_id = ${accountId}`);
  return Number(rows[0]!.n);
}

export function fetchCommands(commands: string[]): string[] {
  return commands.filter((c) => /^\S+ (UID )?FETCH\b/i.test(c));
}
