import { afterAll, beforeAll, expect, it } from "vitest";
import { appendMessages, deleteMessages, listFolderUids, moveMessages, setFlags } from "../support/mail-seed";
import { type SyncHarness, expectInSync, fetchCommands, startSyncHarness } from "./sync-harness";

// The embedded default (PGlite: one connection, no parallel sessions) runs the same pipelined sync.
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ engine: "pglite" });
});

afterAll(async () => {
  await h?.close();
});

it("syncs, follows changes and stays exact on PGlite", async () => {
  await appendMessages(h.seed, "INBOX", Array.from({ length: 40 }, (_, i) => ({ subject: `pglite ${i}`, size: 300 + i * 50 })));
  await appendMessages(h.seed, "Sent", [{ subject: "sent", from: "alice@example.test" }]);
  const first = await h.sync({ limits: { batchMessages: 7, fetchChunk: 15 } });
  expect(first).toMatchObject({ outcome: "success", fetched: 41, added: 41 });
  await expectInSync(h);

  const uids = await listFolderUids(h.seed, "INBOX");
  await setFlags(h.seed, "INBOX", uids.slice(0, 5), ["\\Seen"]);
  await deleteMessages(h.seed, "INBOX", uids.slice(5, 8));
  await moveMessages(h.seed, "INBOX", uids.slice(8, 10), "Archive");
  await appendMessages(h.seed, "INBOX", [{ subject: "late" }]);
  const second = await h.sync();
  expect(second).toMatchObject({ outcome: "success", fetched: 3, added: 1, deleted: 5, orphansRemoved: 3 });
  await expectInSync(h);

  await h.sync();
  expect(fetchCommands(h.commands)).toEqual([]);
});
