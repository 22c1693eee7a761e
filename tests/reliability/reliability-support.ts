import { sql } from "drizzle-orm";
import type { ImapFlow } from "imapflow";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import type { DovecotServer, DovecotUser } from "../support/dovecot";
import { appendMessages, buildMessage, createFolder, deleteFolder, deleteMessages, deliverToMaildir, listFolderUids, moveMessages, readFolder, setFlags } from "../support/mail-seed";
import { insertImapAccount } from "../support/fixtures";
import { readStoredFolder } from "../sync/sync-harness";

// Shared by the reliability proofs: seeded mailboxes, seeded server changes, and the exact
// comparison of what the database holds with what the server holds.

export type MailboxShape = Record<string, number>;

/** Dovecot users user1@example.test … userN@example.test, one mailbox per seeded run. */
export function reliabilityUsers(n: number): DovecotUser[] {
  return Array.from({ length: n }, (_, i) => ({ user: `user${i + 1}@example.test`, password: `pw-${i + 1}` }));
}

/** Fills a user's folders straight in the maildir; sizes and headers come from the seed. */
export function seedMailbox(server: DovecotServer, user: DovecotUser, random: () => number, seed: number, shape: MailboxShape) {
  for (const [folder, count] of Object.entries(shape)) {
    const messages = Array.from({ length: count }, (_, i) =>
      buildMessage({
        subject: `${folder} ${i} (seed ${seed})`,
        messageId: `<r${seed}-${folder}-${i}@example.test>`,
        date: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        body: `Message ${i} of ${folder}, seed ${seed}.\r\n`,
        size: 300 + Math.floor(random() * 5000),
      }),
    );
    deliverToMaildir(server, folder, messages, user.user);
  }
}

export function insertAccountFor(db: Database, server: DovecotServer, user: DovecotUser, slug: string) {
  return insertImapAccount(db, server, slug, user);
}

/**
 * What another mail client does between two syncs: new mail, flags set and cleared, deletions, a
 * move, a new folder with mail, and a folder deleted (with its mail).
 */
export async function mutateServer(client: ImapFlow, random: () => number, seed: number, options: { deleteFolder?: string } = {}) {
  const pick = (uids: number[], n: number) => [...new Set(Array.from({ length: n }, () => uids[Math.floor(random() * uids.length)]!))];
  let inbox = await listFolderUids(client, "INBOX");
  await deleteMessages(client, "INBOX", pick(inbox, 5));
  inbox = await listFolderUids(client, "INBOX");
  await moveMessages(client, "INBOX", pick(inbox, 5), "Archive");
  inbox = await listFolderUids(client, "INBOX");
  await setFlags(client, "INBOX", pick(inbox, 12), ["\\Seen"]);
  await setFlags(client, "INBOX", pick(inbox, 4), ["\\Flagged", "$Label1"]);
  const archive = await listFolderUids(client, "Archive");
  await setFlags(client, "Archive", pick(archive, 3), ["\\Seen"], "remove");
  await appendMessages(client, "INBOX", Array.from({ length: 10 }, (_, i) => ({ subject: `new ${i} (seed ${seed})`, size: 300 + Math.floor(random() * 4000) })));
  const fresh = `Fresh${seed}`;
  await createFolder(client, fresh);
  await appendMessages(client, fresh, Array.from({ length: 3 }, (_, i) => ({ subject: `fresh ${i} (seed ${seed})` })));
  if (options.deleteFolder) await deleteFolder(client, options.deleteFolder);
}

/**
 * The database holds exactly the server's mail: the same folders; per folder the same UIDs, flags
 * and content hashes; one message row per distinct content (no duplicates); no message without a
 * location. Throws a readable difference.
 */
export async function expectExact(db: Database, client: ImapFlow, accountId: string) {
  const listed = (await client.list()).filter((f) => !f.flags.has("\\Noselect")).map((f) => f.path).sort();
  const stored = (await queryRows<{ path: string }>(db, sql`select path from mailboxes where account_id = ${accountId}`)).map((r) => r.path).sort();
  const problems: string[] = [];
  if (JSON.stringify(listed) !== JSON.stringify(stored)) problems.push(`folders: server ${JSON.stringify(listed)}, stored ${JSON.stringify(stored)}`);
  const distinct = new Set<string>();
  for (const folder of listed) {
    const [server, copy] = await Promise.all([readFolder(client, folder), readStoredFolder(db, accountId, folder)]);
    for (const m of server) distinct.add(m.sha256);
    if (JSON.stringify(server) !== JSON.stringify(copy)) problems.push(describeDifference(folder, server, copy));
  }
  const [counts] = await queryRows<{ messages: number; keys: number; orphans: number }>(
    db,
    sql`select count(*)::int as messages, count(distinct dedupe_key)::int as keys,
      count(*) filter (where not exists (select 1 from message_locations l where l.message_id = m.id))::int as orphans
      from messages m where m.account_id = ${accountId}`,
  );
  if (Number(counts!.messages) !== distinct.size) problems.push(`${counts!.messages} message rows for ${distinct.size} distinct messages on the server`);
  if (Number(counts!.keys) !== Number(counts!.messages)) problems.push(`${Number(counts!.messages) - Number(counts!.keys)} duplicate message rows`);
  if (Number(counts!.orphans)) problems.push(`${counts!.orphans} message rows without a location`);
  if (problems.length) throw new Error(`database differs from the server:\n${problems.join("\n")}`);
}

/** Locations stored for the account, and messages on the server (every folder). */
export async function storedLocations(db: Database, accountId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from message_locations where account_id = ${accountId}`);
  return Number(row!.n);
}

export async function serverMessageCount(client: ImapFlow): Promise<number> {
  let n = 0;
  for (const folder of (await client.list()).filter((f) => !f.flags.has("\\Noselect"))) n += (await listFolderUids(client, folder.path)).length;
  return n;
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeDifference(folder: string, server: { uid: number; flags: string[]; sha256: string }[], stored: { uid: number; flags: string[]; sha256: string }[]) {
  const key = (m: { uid: number; flags: string[]; sha256: string }) => `${m.uid} ${m.flags.join(",")} ${m.sha256.slice(0, 12)}`;
  const a = new Set(server.map(key));
  const b = new Set(stored.map(key));
  const missing = [...a].filter((k) => !b.has(k)).slice(0, 10);
  const extra = [...b].filter((k) => !a.has(k)).slice(0, 10);
  return `${folder}: ${server.length} on the server, ${stored.length} stored; missing/stale ${JSON.stringify(missing)}; extra ${JSON.stringify(extra)}`;
}
