import { eq } from "drizzle-orm";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mailAccounts } from "@/db/schema";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { IdleWatcher } from "@/lib/jobs/idle/idle-watcher";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { buildMessage, openSeedClient } from "@/tests/support/mail-seed";
import { type TestDatabase, createTestDatabase } from "@/tests/support/test-database";
import { insertImapAccount } from "@/tests/support/fixtures";
import { until } from "./support/in-process-jobs";

// The IDLE watcher against a real Dovecot: renewal, reaction to new mail, reconnection after the
// server drops the connection.

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
  const account = await insertImapAccount(database.db, server);
  accountId = account.id;
  await database.db.update(mailAccounts).set({ status: "active" }).where(eq(mailAccounts.id, account.id));
  watcher = new IdleWatcher({
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
});
