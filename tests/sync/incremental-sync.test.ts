import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import {
  appendMessages,
  buildMessage,
  bumpUidValidity,
  createFolder,
  deleteFolder,
  deleteMessages,
  listFolderUids,
  moveMessages,
  readFolder,
  renameFolder,
  setFlags,
} from "../support/mail-seed";
import { type SyncHarness, countMessages, expectInSync, fetchCommands, startSyncHarness } from "./sync-harness";

// One Dovecot (QRESYNC on) and one database for the file; each test builds on the state the previous left.
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness();
});

afterAll(async () => {
  await h?.close();
});

async function messageIdOf(dedupeSha: string): Promise<string> {
  const rows = await queryRows<{ id: string }>(h.db, sql`select id from messages where account_id = ${h.account.id} and dedupe_key = ${`sha256:${dedupeSha}`}`);
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

describe("incremental sync against Dovecot", () => {
  it("first sync stores every folder exactly, and never marks mail read", async () => {
    await appendMessages(h.seed, "INBOX", [{ subject: "one" }, { subject: "two" }, { subject: "three" }]);
    await appendMessages(h.seed, "INBOX", [{ subject: "already read" }], { flags: ["\\Seen"] });
    await appendMessages(h.seed, "Sent", [{ subject: "sent one", from: "alice@example.test", to: "carol@example.test" }]);
    await appendMessages(h.seed, "Archive", [{ subject: "archived", size: 20_000 }], { flags: ["\\Flagged"] });

    const summary = await h.sync();
    expect(summary.outcome).toBe("success");
    expect(summary.more).toBe(false);
    expect(summary.fetched).toBe(6);
    expect(summary.added).toBe(6);
    await expectInSync(h);

    // BODY.PEEK: the three unread messages are still unread on the server.
    const inbox = await readFolder(h.seed, "INBOX");
    expect(inbox.filter((m) => m.flags.includes("\\Seen"))).toHaveLength(1);
    expect(h.commands.some((c) => /BODY\.PEEK\[\]/.test(c))).toBe(true);
    expect(h.commands.some((c) => /\bBODY\[\]/.test(c))).toBe(false);

    const [account] = await h.db.select().from(t.mailAccounts).where(eq(t.mailAccounts.id, h.account.id));
    expect(account!.status).toBe("active");
    expect(account!.lastSyncAt).not.toBeNull();
    const runs = await h.db.select().from(t.syncRuns).where(eq(t.syncRuns.accountId, h.account.id));
    expect(runs.map((r) => [r.outcome, r.messagesAdded])).toEqual([["success", 6]]);
    const inboxRow = await h.db.select().from(t.mailboxes).where(eq(t.mailboxes.path, "INBOX"));
    expect(inboxRow[0]).toMatchObject({ specialUse: "inbox", serverCount: 4, syncedCount: 4, backfillUid: null, lastUid: 4 });
    const sent = await h.db.select().from(t.mailboxes).where(eq(t.mailboxes.path, "Sent"));
    expect(sent[0]!.specialUse).toBe("sent");
  });

  it("a pass over an unchanged account sends no FETCH and selects nothing", async () => {
    const summary = await h.sync();
    expect(summary.outcome).toBe("success");
    expect(summary.mailboxes.every((m) => m.unchanged)).toBe(true);
    expect(fetchCommands(h.commands)).toEqual([]);
    expect(h.commands.filter((c) => /\b(SELECT|EXAMINE)\b/.test(c))).toEqual([]);
  });

  it("new mail is fetched from above the watermark only", async () => {
    await appendMessages(h.seed, "INBOX", [{ subject: "four" }, { subject: "five" }]);
    const summary = await h.sync();
    expect(summary.fetched).toBe(2);
    expect(summary.added).toBe(2);
    const bodyFetches = fetchCommands(h.commands).filter((c) => c.includes("BODY.PEEK"));
    expect(bodyFetches).toHaveLength(1);
    expect(bodyFetches[0]).toMatch(/UID FETCH 5:6 /);
    await expectInSync(h);
  });

  it("new mail expunged before the pass moves the watermark past it, so it is never searched again", async () => {
    const [added] = await appendMessages(h.seed, "INBOX", [{ subject: "gone before sync" }]);
    await deleteMessages(h.seed, "INBOX", [added!]);
    await h.sync();
    const [inbox] = await h.db.select().from(t.mailboxes).where(eq(t.mailboxes.path, "INBOX"));
    expect(inbox!.lastUid).toBe(added);
    await appendMessages(h.seed, "INBOX", [{ subject: "six" }]);
    await h.sync();
    expect(h.commands.filter((c) => /UID SEARCH/.test(c))).toEqual([expect.stringContaining(`UID SEARCH UID ${added! + 1}:*`)]);
    await expectInSync(h);
  });

  it("flag changes arrive through CONDSTORE CHANGEDSINCE without refetching bodies", async () => {
    const uids = await listFolderUids(h.seed, "INBOX");
    await setFlags(h.seed, "INBOX", [uids[0]!, uids[1]!], ["\\Seen", "\\Flagged"]);
    await setFlags(h.seed, "INBOX", [uids[3]!], ["\\Seen"], "remove");
    await setFlags(h.seed, "INBOX", [uids[2]!], ["$Important"]);
    const summary = await h.sync();
    expect(summary.fetched).toBe(0);
    expect(summary.updated).toBe(4);
    const fetches = fetchCommands(h.commands);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toMatch(/CHANGEDSINCE \d+ VANISHED/);
    await expectInSync(h);
  });

  it("a flood of flag changes is applied in slices as it streams in", async () => {
    const uids = await listFolderUids(h.seed, "INBOX");
    await setFlags(h.seed, "INBOX", uids, ["$Triaged"]);
    const summary = await h.sync({ limits: { batchMessages: 1 } });
    expect(summary.updated).toBe(uids.length);
    await expectInSync(h);
  });

  it("deletions arrive through QRESYNC VANISHED; messages no folder holds are removed", async () => {
    const before = await countMessages(h.db, h.account.id);
    const uids = await listFolderUids(h.seed, "INBOX");
    await deleteMessages(h.seed, "INBOX", [uids[1]!, uids[4]!]);
    const summary = await h.sync();
    expect(summary.deleted).toBe(2);
    expect(summary.orphansRemoved).toBe(2);
    expect(h.commands.some((c) => /UID SEARCH/.test(c))).toBe(false);
    expect(await countMessages(h.db, h.account.id)).toBe(before - 2);
    await expectInSync(h);
  });

  it("a message moved between folders stays one message row whose location changes", async () => {
    const [first] = await readFolder(h.seed, "INBOX");
    const id = await messageIdOf(first!.sha256);
    await moveMessages(h.seed, "INBOX", [first!.uid], "Archive");
    const summary = await h.sync();
    expect(summary.added).toBe(0);
    expect(summary.orphansRemoved).toBe(0);
    expect(await messageIdOf(first!.sha256)).toBe(id);
    const locations = await h.db.select().from(t.messageLocations).where(eq(t.messageLocations.messageId, id));
    expect(locations).toHaveLength(1);
    await expectInSync(h);
  });

  it("a new UIDVALIDITY re-reads the folder without duplicating or orphaning anything", async () => {
    const before = await countMessages(h.db, h.account.id);
    const ids = await Promise.all((await readFolder(h.seed, "INBOX")).map((m) => messageIdOf(m.sha256)));
    await h.seed.mailboxClose().catch(() => {});
    await bumpUidValidity(h.server, "INBOX");
    const summary = await h.sync();
    expect(summary.mailboxes.find((m) => m.path === "INBOX")!.uidValidityReset).toBe(true);
    expect(summary.added).toBe(0);
    expect(await countMessages(h.db, h.account.id)).toBe(before);
    expect(await Promise.all((await readFolder(h.seed, "INBOX")).map((m) => messageIdOf(m.sha256)))).toEqual(ids);
    await expectInSync(h);
  });

  it("a folder deleted and recreated with other UIDs is re-read the same way", async () => {
    await createFolder(h.seed, "Projects");
    const sources = [buildMessage({ subject: "p1" }), buildMessage({ subject: "p2" }), buildMessage({ subject: "p3" })];
    await appendMessages(h.seed, "Projects", sources);
    await h.sync();
    const before = await countMessages(h.db, h.account.id);
    await deleteFolder(h.seed, "Projects");
    await createFolder(h.seed, "Projects");
    await appendMessages(h.seed, "Projects", [sources[2]!, sources[0]!, sources[1]!]);
    const summary = await h.sync();
    expect(summary.added).toBe(0);
    expect(await countMessages(h.db, h.account.id)).toBe(before);
    await expectInSync(h);
  });

  it("a renamed folder keeps its row; a deleted folder takes its messages with it", async () => {
    const [row] = await h.db.select().from(t.mailboxes).where(eq(t.mailboxes.path, "Projects"));
    await renameFolder(h.seed, "Projects", "Clients");
    let summary = await h.sync();
    expect(summary.foldersRenamed).toBe(1);
    expect(summary.fetched).toBe(0);
    const [renamed] = await h.db.select().from(t.mailboxes).where(eq(t.mailboxes.path, "Clients"));
    expect(renamed!.id).toBe(row!.id);
    await expectInSync(h);

    const before = await countMessages(h.db, h.account.id);
    await deleteFolder(h.seed, "Clients");
    summary = await h.sync();
    expect(summary.foldersDeleted).toBe(1);
    expect(summary.orphansRemoved).toBe(3);
    expect(await countMessages(h.db, h.account.id)).toBe(before - 3);
    await expectInSync(h);
  });

  it("mail arriving while a pass is running is picked up by the next pass, above the watermark", async () => {
    await createFolder(h.seed, "Live");
    await appendMessages(h.seed, "Live", Array.from({ length: 12 }, (_, i) => ({ subject: `live ${i}` })));
    let arrival: Promise<number[]> | null = null;
    const first = await h.sync({ limits: { batchMessages: 3, fetchChunk: 6 }, onProgress: () => void (arrival ??= appendMessages(h.seed, "Live", [{ subject: "arrived mid-pass" }])) });
    expect(first.fetched).toBe(12);
    const [uid] = await arrival!;
    const second = await h.sync();
    expect(second.fetched).toBe(1);
    expect(fetchCommands(h.commands).filter((c) => c.includes("BODY.PEEK"))).toEqual([expect.stringContaining(`UID FETCH ${uid} `)]);
    await expectInSync(h);
  });

  it("an initial sync goes newest first in bounded passes and picks up mail arriving meanwhile", async () => {
    await createFolder(h.seed, "Big");
    await appendMessages(h.seed, "Big", Array.from({ length: 30 }, (_, i) => ({ subject: `big ${i}` })));
    const first = await h.sync({ limits: { maxMessages: 10, fetchChunk: 4, batchMessages: 3 } });
    expect(first.outcome).toBe("partial");
    expect(first.more).toBe(true);
    expect(first.fetched).toBe(10);
    const stored = await queryRows<{ uid: number }>(
      h.db,
      sql`select l.uid from message_locations l join mailboxes b on b.id = l.mailbox_id where b.account_id = ${h.account.id} and b.path = 'Big' order by l.uid`,
    );
    expect(stored.map((r) => Number(r.uid))).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));

    await appendMessages(h.seed, "Big", [{ subject: "arrived during the initial sync" }]);
    const second = await h.sync({ limits: { maxMessages: 5 } });
    expect(second.more).toBe(true);
    const newest = await queryRows<{ uid: number }>(
      h.db,
      sql`select max(l.uid)::int as uid from message_locations l join mailboxes b on b.id = l.mailbox_id where b.account_id = ${h.account.id} and b.path = 'Big'`,
    );
    expect(Number(newest[0]!.uid)).toBe(31);

    let rounds = 0;
    let summary = second;
    while (summary.more && rounds++ < 10) summary = await h.sync({ limits: { maxMessages: 7 } });
    expect(summary.more).toBe(false);
    await expectInSync(h);
    const [big] = await h.db.select().from(t.mailboxes).where(eq(t.mailboxes.path, "Big"));
    expect(big).toMatchObject({ backfillUid: null, serverCount: 31, syncedCount: 31 });
  });
});
