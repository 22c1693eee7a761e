import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import { getAccountsOverview } from "@/lib/accounts/get-accounts-overview";
import { resyncFolders } from "@/lib/accounts/resync-folders";
import { setAccountPaused } from "@/lib/accounts/set-account-paused";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { claimDueAccounts } from "@/lib/jobs/claim-due-accounts";
import { listWatchableAccounts } from "@/lib/jobs/idle/list-watchable-accounts";
import { createRunSyncStep } from "@/lib/jobs/run-account-sync-step";
import { isAppError } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { buildMessage, deliverToMaildir, readFolder } from "@/tests/support/mail-seed";
import { type SyncHarness, startSyncHarness } from "@/tests/sync/sync-harness";

// Accounts screen controls against a real Dovecot and Postgres: live per-folder progress, pause
// (honoured by a running sync step, the pass's own outcome, the scheduler and the IDLE watcher),
// resume, and a folder resync that re-reads the folder without duplicating anything.

const INBOX = 700;
const ARCHIVE = 150;

let h: SyncHarness;
let owner: OrgContext;
let member: OrgContext;
const connect = (a: typeof t.mailAccounts.$inferSelect) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } });

beforeAll(async () => {
  h = await startSyncHarness();
  deliverToMaildir(h.server, "INBOX", Array.from({ length: INBOX }, (_, i) => buildMessage({ subject: `Inbox ${i}` })));
  deliverToMaildir(h.server, "Archive", Array.from({ length: ARCHIVE }, (_, i) => buildMessage({ subject: `Archived ${i}` })));
  const [org] = await h.db.select().from(t.organizations).where(eq(t.organizations.id, h.account.orgId));
  const [linker] = await h.db.insert(t.users).values({ email: "linker@example.test", name: "Linker" }).returning();
  const [other] = await h.db.insert(t.users).values({ email: "other@example.test", name: "Other" }).returning();
  await h.db.insert(t.memberships).values([
    { orgId: org!.id, userId: linker!.id, role: "member" },
    { orgId: org!.id, userId: other!.id, role: "member" },
  ]);
  await h.db.update(t.mailAccounts).set({ userId: linker!.id }).where(eq(t.mailAccounts.id, h.account.id));
  const orgInfo = { id: org!.id, slug: org!.slug, name: org!.name, personal: false };
  owner = { orgId: org!.id, org: orgInfo, user: { id: linker!.id, email: linker!.email, name: linker!.name }, role: "member" };
  member = { orgId: org!.id, org: orgInfo, user: { id: other!.id, email: other!.email, name: other!.name }, role: "member" };
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const overview = async () => (await getAccountsOverview(h.db, owner)).accounts[0]!;
const folder = async (path: string) => (await overview()).folderProgress.find((f) => f.path === path)!;
const account = async () => (await h.db.select().from(t.mailAccounts).where(eq(t.mailAccounts.id, h.account.id)))[0]!;
const messageIds = async () =>
  (await queryRows<{ id: string }>(h.db, sql`select id from messages where account_id = ${h.account.id} order by id`)).map((r) => r.id);
const locationCount = async () => Number((await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from message_locations where account_id = ${h.account.id}`))[0]!.n);
const step = createRunSyncStep({ connect, pauseCheckMs: 20 });
const runStep = () => step({ db: h.db, accountId: h.account.id, orgId: h.account.orgId, reason: "manual", budget: { maxMs: 60_000, maxMessages: 100_000 } });

describe("accounts overview", () => {
  test("before the first sync: no folders yet, counted as syncing, nothing to explain", async () => {
    const a = await overview();
    expect(a).toMatchObject({ emailAddress: h.account.emailAddress, status: "connecting", folderProgress: [], problem: null, canManage: true });
    expect(a.progress).toEqual({ synced: 0, total: 0, foldersDone: 0, foldersTotal: 0, syncing: true });
  });

  test("a bounded pass shows live per-folder progress (synced < total), then every folder done with the server's counts", async () => {
    const first = await h.sync({ limits: { maxMessages: 300, batchMessages: 100 } });
    expect(first.more).toBe(true);
    const inbox = await folder("INBOX");
    expect(inbox).toMatchObject({ name: "Inbox", state: "syncing", total: INBOX });
    expect(inbox.synced).toBeGreaterThan(0);
    expect(inbox.synced).toBeLessThan(INBOX);
    expect((await overview()).progress.syncing).toBe(true);

    for (let i = 0; i < 10 && (await h.sync()).more; i++);
    const done = await overview();
    expect(done.progress).toMatchObject({ syncing: false, synced: INBOX + ARCHIVE, total: INBOX + ARCHIVE });
    expect(done.progress.foldersDone).toBe(done.progress.foldersTotal);
    expect(done.folderProgress[0]).toMatchObject({ path: "INBOX", state: "done", synced: INBOX, total: INBOX });
    expect(done.folderProgress.find((f) => f.path === "Archive")).toMatchObject({ state: "done", synced: ARCHIVE, total: ARCHIVE });
    expect(done.status).toBe("active");
  });
});

describe("pause and resume", () => {
  test("only the member who linked it (or an admin) may pause; another organisation's account is not found", async () => {
    await expect(setAccountPaused(h.db, member, { accountId: h.account.id, paused: true })).rejects.toMatchObject({ code: "forbidden" });
    const stranger = { ...owner, orgId: "00000000-0000-4000-8000-000000000000", role: "owner" as const };
    await expect(setAccountPaused(h.db, stranger, { accountId: h.account.id, paused: true })).rejects.toMatchObject({ code: "not_found" });
    expect((await account()).status).toBe("active");
  });

  test("paused: the scheduler, the IDLE watcher's list and a sync step all leave it alone", async () => {
    deliverToMaildir(h.server, "INBOX", [buildMessage({ subject: "Arrived while paused" })]);
    await setAccountPaused(h.db, owner, { accountId: h.account.id, paused: true });
    expect(await account()).toMatchObject({ status: "paused", statusReason: "Paused by Linker.", nextSyncAt: null });
    const a = await overview();
    expect(a.problem).toMatchObject({ action: "resume" });
    expect(a.job.state).toBe("paused");

    await h.db.update(t.mailAccounts).set({ nextSyncAt: sql`now() - interval '1 minute'` }).where(eq(t.mailAccounts.id, h.account.id));
    expect((await claimDueAccounts(h.db, { leaseMs: 60_000 })).map((d) => d.id)).not.toContain(h.account.id);
    expect((await listWatchableAccounts(h.db, { sent: true })).map((w) => w.id)).not.toContain(h.account.id);
    const runsBefore = await h.db.select().from(t.syncRuns).where(eq(t.syncRuns.accountId, h.account.id));
    expect(await runStep()).toEqual({ done: true });
    expect(await h.db.select().from(t.syncRuns).where(eq(t.syncRuns.accountId, h.account.id))).toHaveLength(runsBefore.length);
    expect((await messageIds()).length).toBe(INBOX + ARCHIVE);
  });

  test("a pass that was running when the account got paused stops early and does not un-pause it", async () => {
    await h.db.update(t.mailAccounts).set({ status: "active" }).where(eq(t.mailAccounts.id, h.account.id));
    // A fresh read of the whole Inbox, so the step has work when the pause lands.
    await resyncFolders(h.db, owner, { accountId: h.account.id, mailboxId: (await folder("INBOX")).id });
    await h.db.update(t.mailAccounts).set({ status: "paused", statusReason: "Paused by Linker." }).where(eq(t.mailAccounts.id, h.account.id));
    // Outcome recorded by the pass itself (finishSyncRun) must keep the pause.
    const summary = await h.sync({ limits: { maxMessages: 100 } });
    expect(summary.error).toBeUndefined();
    expect(await account()).toMatchObject({ status: "paused", statusReason: "Paused by Linker." });

    // And the job's step watches for the pause while it runs.
    await h.db.update(t.mailAccounts).set({ status: "active" }).where(eq(t.mailAccounts.id, h.account.id));
    const pausing = new Promise<void>((resolve) => setTimeout(() => void h.db.update(t.mailAccounts).set({ status: "paused" }).where(eq(t.mailAccounts.id, h.account.id)).then(() => resolve()), 5));
    const result = await runStep();
    await pausing;
    expect(result.done).toBe(true);
    expect((await account()).status).toBe("paused");
    // Stopped after the batch in flight, well before the folder was read again in full.
    expect((await folder("INBOX")).state).toBe("syncing");
  });

  test("resume makes it due now and syncs what arrived meanwhile", async () => {
    const resumed = await setAccountPaused(h.db, owner, { accountId: h.account.id, paused: false });
    expect(resumed).toMatchObject({ paused: false, status: "active" });
    const row = await account();
    expect(row).toMatchObject({ status: "active", statusReason: null });
    expect(row.nextSyncAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    for (let i = 0; i < 10 && (await h.sync()).more; i++);
    expect((await messageIds()).length).toBe(INBOX + ARCHIVE + 1);
    expect((await overview()).progress).toMatchObject({ syncing: false, synced: INBOX + ARCHIVE + 1 });
  });
});

describe("resync a folder", () => {
  test("re-reads the folder from the server: same message rows, same locations, no duplicates", async () => {
    const idsBefore = await messageIds();
    const locationsBefore = await locationCount();
    const inbox = await folder("INBOX");
    const result = await resyncFolders(h.db, owner, { accountId: h.account.id, mailboxId: inbox.id });
    expect(result.folders).toEqual(["INBOX"]);
    expect((await folder("INBOX")).state).not.toBe("done");
    expect((await overview()).progress.syncing).toBe(true);

    const pass = await h.sync();
    expect(pass.mailboxes.find((m) => m.path === "INBOX")).toMatchObject({ fetched: INBOX + 1, added: 0 });
    expect(await messageIds()).toEqual(idsBefore);
    expect(await locationCount()).toBe(locationsBefore);
    const server = await readFolder(h.seed, "INBOX");
    expect(await folder("INBOX")).toMatchObject({ state: "done", synced: server.length, total: server.length });
  });

  test("every folder of the mailbox at once, with the same guarantees", async () => {
    const idsBefore = await messageIds();
    const result = await resyncFolders(h.db, owner, { accountId: h.account.id });
    expect(result.folders.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 10 && (await h.sync()).more; i++);
    expect(await messageIds()).toEqual(idsBefore);
    expect((await overview()).progress).toMatchObject({ syncing: false, synced: idsBefore.length });
  });

  test("refused for another organisation's folder, for a member who did not link it, and while paused", async () => {
    const other = await h.db
      .insert(t.organizations)
      .values({ slug: `other-${Date.now()}`, name: "Other" })
      .returning()
      .then(([o]) => o!);
    const [foreign] = await h.db.insert(t.mailboxes).values({ orgId: other.id, accountId: h.account.id, path: "Foreign", name: "Foreign" }).returning().catch(() => [undefined]);
    const inbox = await folder("INBOX");
    const attempt = (ctx: OrgContext, input: { accountId: string; mailboxId?: string }) =>
      resyncFolders(h.db, ctx, input).then(
        () => "ok",
        (e) => (isAppError(e) ? e.code : String(e)),
      );
    if (foreign) expect(await attempt(owner, { accountId: h.account.id, mailboxId: foreign.id })).toBe("not_found");
    expect(await attempt({ ...owner, orgId: other.id }, { accountId: h.account.id, mailboxId: inbox.id })).toBe("not_found");
    expect(await attempt(member, { accountId: h.account.id, mailboxId: inbox.id })).toBe("forbidden");
    await setAccountPaused(h.db, owner, { accountId: h.account.id, paused: true });
    expect(await attempt(owner, { accountId: h.account.id, mailboxId: inbox.id })).toBe("conflict");
    const [row] = await h.db.select().from(t.mailboxes).where(and(eq(t.mailboxes.id, inbox.id)));
    expect(row!.uidValidity).not.toBeNull();
  });
});
