import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailAccounts, mailboxes, messageLocations, messages, syncRuns, threads } from "@/db/schema";
import { listMailAccounts } from "@/lib/accounts/list-mail-accounts";
import { unlinkMailAccount } from "@/lib/accounts/unlink-mail-account";
import { upsertMailAccount } from "@/lib/accounts/upsert-mail-account";
import { insertMailbox, insertMessage } from "@/tests/support/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { seedMailAccount, seedWorld, type World } from "@/tests/tenancy/support";

/*
 * Unlink: credentials always go (and with them every sync); the synced mail stays unless the user
 * chose to delete it, in which case messages, folders, sync history and emptied threads go too.
 * Only the member who linked the mailbox, or an admin, may unlink it.
 */

let testDb: TestDatabase;
let world: World;

beforeAll(async () => {
  testDb = await createTestDatabase();
  world = await seedWorld(testDb.db);
});

afterAll(async () => {
  await testDb?.close();
});

const ctx = (user: { id: string; email: string }, role: "owner" | "admin" | "member") => ({ orgId: world.b.id, user: { id: user.id, email: user.email, name: null }, role });

async function mailboxWithMail(email: string) {
  const account = await seedMailAccount(testDb.db, world.b.id, world.b.member.id, email);
  const full = { id: account.id, orgId: world.b.id };
  const inbox = await insertMailbox(testDb.db, full);
  const [thread] = await testDb.db.insert(threads).values({ orgId: world.b.id, subject: "Hello", messageCount: 2 }).returning();
  for (let uid = 1; uid <= 2; uid++) {
    const message = await insertMessage(testDb.db, full, { threadId: thread!.id });
    await testDb.db.insert(messageLocations).values({ mailboxId: inbox.id, uid, messageId: message.id, orgId: world.b.id, accountId: account.id });
  }
  await testDb.db.insert(syncRuns).values({ orgId: world.b.id, accountId: account.id, outcome: "success" });
  return { ...full, threadId: thread!.id };
}

const countOf = async (table: typeof messages | typeof mailboxes | typeof syncRuns, accountId: string) =>
  (await testDb.db.select({ n: count() }).from(table).where(eq(table.accountId, accountId)))[0]!.n;

describe("unlinkMailAccount", () => {
  it("keeping the mail: credentials erased, account paused and shown as unlinked, mail and folders kept", async () => {
    const box = await mailboxWithMail("keep@example.test");
    const result = await unlinkMailAccount(testDb.db, ctx(world.b.member, "member"), { accountId: box.id, deleteData: false });
    expect(result).toEqual({ accountId: box.id, deletedData: false, messagesDeleted: 0 });
    const [row] = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, box.id));
    expect(row).toMatchObject({ status: "paused", encryptedPassword: null, encryptedAccessToken: null, encryptedRefreshToken: null, tokenExpiresAt: null, nextSyncAt: null });
    expect(row!.statusReason).toMatch(/^Unlinked by .* credentials removed, synced mail kept/);
    expect([await countOf(messages, box.id), await countOf(mailboxes, box.id)]).toEqual([2, 1]);
    const listed = (await listMailAccounts(testDb.db, ctx(world.b.member, "member"))).find((a) => a.id === box.id);
    expect(listed).toMatchObject({ unlinked: true, messages: 2, folders: 1 });

    // Linking it again brings it back, same account, same mail.
    const again = await upsertMailAccount(testDb.db, {
      orgId: world.b.id,
      userId: world.b.member.id,
      provider: "imap",
      emailAddress: "KEEP@example.test",
      imap: { host: "imap.example.test", port: 993, security: "tls", user: "keep@example.test" },
      credentials: { kind: "password", password: "new-password" },
    });
    expect(again).toEqual({ id: box.id, created: false });
    expect(await countOf(messages, box.id)).toBe(2);
  });

  it("deleting the mail: messages, folders, sync runs and the emptied thread go, then the account", async () => {
    const box = await mailboxWithMail("delete@example.test");
    const result = await unlinkMailAccount(testDb.db, ctx(world.b.admin, "admin"), { accountId: box.id, deleteData: true });
    expect(result).toEqual({ accountId: box.id, deletedData: true, messagesDeleted: 2 });
    expect(await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, box.id))).toEqual([]);
    expect([await countOf(messages, box.id), await countOf(mailboxes, box.id), await countOf(syncRuns, box.id)]).toEqual([0, 0, 0]);
    expect(await testDb.db.select().from(threads).where(eq(threads.id, box.threadId))).toEqual([]);
  });

  it("refuses a member who did not link it, and another organisation's account, changing nothing", async () => {
    const box = await mailboxWithMail("guarded@example.test");
    const before = await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, box.id));
    await expect(unlinkMailAccount(testDb.db, ctx({ id: world.b.owner.id, email: "x" }, "member"), { accountId: box.id, deleteData: true })).rejects.toMatchObject({ code: "forbidden" });
    await expect(unlinkMailAccount(testDb.db, { ...ctx(world.a.owner, "owner"), orgId: world.a.id }, { accountId: box.id, deleteData: true })).rejects.toMatchObject({ code: "not_found" });
    expect(await testDb.db.select().from(mailAccounts).where(eq(mailAccounts.id, box.id))).toEqual(before);
    expect(await countOf(messages, box.id)).toBe(2);
  });
});
