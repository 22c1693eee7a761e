import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendMessages, deleteMessages, listFolderUids, moveMessages, setFlags } from "../support/mail-seed";
import { type SyncHarness, countMessages, expectInSync, fetchCommands, startSyncHarness } from "./sync-harness";

describe.each([
  { name: "CONDSTORE without QRESYNC", dovecot: { qresync: false }, modseq: true },
  { name: "neither CONDSTORE nor QRESYNC", dovecot: { qresync: false, condstore: false }, modseq: false },
])("sync against a server with $name", ({ dovecot, modseq }) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ dovecot });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("syncs, and a second pass over unchanged folders fetches no bodies", async () => {
    expect(h.seed.capabilities.has("QRESYNC")).toBe(false);
    expect(h.seed.capabilities.has("CONDSTORE")).toBe(modseq);
    await appendMessages(h.seed, "INBOX", Array.from({ length: 6 }, (_, i) => ({ subject: `m${i}` })));
    await appendMessages(h.seed, "Archive", [{ subject: "kept" }]);
    const first = await h.sync();
    expect(first.fetched).toBe(7);
    await expectInSync(h);

    await h.sync();
    const fetches = fetchCommands(h.commands);
    if (modseq) expect(fetches).toEqual([]);
    // Without CONDSTORE a flag change leaves no trace in STATUS: the flags are read again, bodies never.
    else expect(fetches.every((c) => !c.includes("BODY"))).toBe(true);
    expect(h.commands.some((c) => c.includes("ENABLE QRESYNC") || c.includes("VANISHED"))).toBe(false);
  });

  it("finds deletions by comparing UID sets, and flag changes", async () => {
    const uids = await listFolderUids(h.seed, "INBOX");
    await deleteMessages(h.seed, "INBOX", [uids[0]!, uids[3]!]);
    await setFlags(h.seed, "INBOX", [uids[1]!], ["\\Seen", "\\Answered"]);
    const before = await countMessages(h.db, h.account.id);
    const summary = await h.sync();
    expect(summary.fetched).toBe(0);
    expect(summary.deleted).toBe(2);
    expect(summary.updated).toBe(1);
    expect(summary.orphansRemoved).toBe(2);
    expect(await countMessages(h.db, h.account.id)).toBe(before - 2);
    if (modseq) expect(h.commands.some((c) => /UID SEARCH ALL/.test(c))).toBe(true);
    await expectInSync(h);
  });

  it("a deletion plus an arrival (same count) is still seen", async () => {
    const uids = await listFolderUids(h.seed, "INBOX");
    await deleteMessages(h.seed, "INBOX", [uids[uids.length - 1]!]);
    await appendMessages(h.seed, "INBOX", [{ subject: "replacement" }]);
    const summary = await h.sync();
    expect(summary.deleted).toBe(1);
    expect(summary.fetched).toBe(1);
    await expectInSync(h);
  });

  it("a moved message keeps its row", async () => {
    const uids = await listFolderUids(h.seed, "INBOX");
    await moveMessages(h.seed, "INBOX", [uids[0]!], "Archive");
    const before = await countMessages(h.db, h.account.id);
    const summary = await h.sync();
    expect(summary.added).toBe(0);
    expect(summary.orphansRemoved).toBe(0);
    expect(await countMessages(h.db, h.account.id)).toBe(before);
    await expectInSync(h);
  });
});
