import { eq } from "drizzle-orm";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mailAccounts } from "@/db/schema";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { IdleWatcher } from "@/lib/jobs/idle/idle-watcher";
import { syncAccount } from "@/lib/sync/sync-account";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { buildMessage, openSeedClient } from "@/tests/support/mail-seed";
import { type TestDatabase, createTestDatabase } from "@/tests/support/test-database";
import { insertImapAccount } from "@/tests/support/fixtures";
import { until } from "./support/in-process-jobs";

// The IDLE watcher against a real Dovecot: renewal, reaction to new mail, reconnection after the
// server drops the connection, and mail that arrived before the watch began.

let server: DovecotServer;
let database: TestDatabase;
let seed: ImapFlow;
let watcher: IdleWatcher;
const requests: number[] = [];
const commands: string[] = [];
let accountId: string;

beforeAll(async () => {
  [server, database] = await Promise.all([startDovecot(), createTestDatabase({ engine: "postgres" })]);
  seed = await openSeedClient(server);
  await seed.append("INBOX", buildMessage({ subject: "already there" }));
  const account = await insertImapAccount(database.db, server);
  accountId = account.id;
  // Watched accounts have been synced: the stored folders match the server when the watch opens.
  const first = await syncAccount({ db: database.db, account, connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }) });
  expect(first.added).toBe(1);
  await database.db.update(mailAccounts).set({ status: "active" }).where(eq(mailAccounts.id, account.id));
  watcher = newWatcher();
  await watcher.start();
}, 60_000);

afterAll(async () => {
  await watcher?.stop();
  await seed?.logout().catch(() => seed.close());
  await Promise.all([server?.stop(), database?.close()]);
});

describe("IDLE watcher on Dovecot", () => {
  test("holds IDLE on Inbox, renews it, and asks for a sync when mail arrives", async () => {
    await until(() => watcher.status(accountId)?.folders[0]?.state === "idle", 10_000, "idle on INBOX");
    const idleCommands = () => commands.filter((c) => /\bIDLE\b/.test(c)).length;
    await until(() => idleCommands() >= 3, 5_000, "IDLE renewed");
    expect(requests).toHaveLength(0);
    const appended = Date.now();
    await seed.append("INBOX", buildMessage({ subject: "ping" }));
    await until(() => requests.length > 0, 5_000, "sync requested");
    console.log(`EXISTS → sync request: ${requests[0]! - appended} ms`);
    expect(watcher.status(accountId)!.folders[0]!.lastChangeAt).not.toBeNull();
  });

  test("reconnects after the server drops the connection, and catches up", async () => {
    const before = requests.length;
    expect(watcher.status(accountId)!.folders[0]!.logins).toBe(1);
    await server.doveadm(["kick", server.users[0]!.user]);
    await until(() => watcher.status(accountId)!.folders[0]!.logins === 2 && watcher.status(accountId)!.folders[0]!.state === "idle", 10_000, "reconnected");
    // What may have arrived while disconnected is fetched by a sync.
    await until(() => requests.length > before, 5_000, "catch-up sync requested");
    // The kick dropped the seeding connection too.
    seed = await openSeedClient(server);
    await seed.append("INBOX", buildMessage({ subject: "after the reconnect" }));
    await until(() => requests.length > before + 1, 5_000, "sync requested after reconnect");
  });

  test("stops watching an account that is no longer active", async () => {
    await database.db.update(mailAccounts).set({ status: "paused" }).where(eq(mailAccounts.id, accountId));
    await until(() => watcher.status(accountId) === null, 5_000, "watch dropped");
  });

  test("asks for a sync as soon as it watches a folder that changed since the last sync", async () => {
    // Mail that arrived while nothing watched (the app was down, or the account was being linked)
    // and that no IDLE will ever announce.
    await watcher.stop();
    await seed.append("INBOX", buildMessage({ subject: "while nobody watched" }));
    await database.db.update(mailAccounts).set({ status: "active" }).where(eq(mailAccounts.id, accountId));
    const before = requests.length;
    watcher = newWatcher();
    await watcher.start();
    await until(() => requests.length > before, 5_000, "catch-up sync requested at the first open");
    const folder = watcher.status(accountId)!.folders[0]!;
    expect({ logins: folder.logins, lastChangeAt: folder.lastChangeAt }).toEqual({ logins: 1, lastChangeAt: null });
  });
});

function newWatcher() {
  return new IdleWatcher({
    db: database.db,
    requestSync: async () => void requests.push(Date.now()),
    connect: async (id) => {
      const [row] = await database.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
      return openAccountConnection(row!, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" }, onCommand: (line) => commands.push(line) });
    },
    refreshMs: 200,
    renewMs: 300,
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
}
