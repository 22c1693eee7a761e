import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { closeParseWorkers } from "@/lib/mime/parse-in-workers";
import { appendMessages } from "../support/mail-seed";
import { type SyncHarness, expectInSync, readStoredFolder, startSyncHarness } from "./sync-harness";

// Batches are fetched, parsed and committed in a pipeline (lib/sync/commit-queue.ts): a batch that
// fails to commit must stop every later one, or a later watermark could claim the failed batch's mail.
// Parsing runs in worker threads here, whatever the machine's default.
process.env.THREADLINE_PARSE_WORKERS = "2";

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness();
  await h.database.db.execute(sql.raw(`
    create function refuse_poison() returns trigger language plpgsql as $$
    begin raise exception 'refusing %', new.subject; end $$;
    create trigger refuse_poison before insert on messages for each row when (new.subject = 'poison') execute function refuse_poison();`));
});

afterAll(async () => {
  await closeParseWorkers();
  await h?.close();
});

async function lastUid(): Promise<number> {
  const [row] = await queryRows<{ last_uid: number | string }>(h.db, sql`select last_uid from mailboxes where account_id = ${h.account.id} and path = 'INBOX'`);
  return Number(row!.last_uid);
}

it("a batch that fails to commit stops the later ones; the next pass stores everything once", async () => {
  await appendMessages(h.seed, "INBOX", Array.from({ length: 6 }, (_, i) => ({ subject: `before ${i}` })));
  expect((await h.sync()).outcome).toBe("success");
  const watermark = await lastUid();

  // New mail (fetched ascending, lastUid moving with every commit): the poison is in the 3rd batch of 4.
  const subjects = Array.from({ length: 24 }, (_, i) => (i === 9 ? "poison" : `after ${i}`));
  const uids = await appendMessages(h.seed, "INBOX", subjects.map((subject) => ({ subject })));
  const poisonUid = uids[9]!;
  const failed = await h.sync({ limits: { batchMessages: 4, fetchChunk: 8 } });
  expect(failed.outcome).not.toBe("success");
  expect(failed).toMatchObject({ more: true, error: { kind: "internal" } });
  expect(failed.error!.message).toMatch(/insert into "messages"/);

  const stored = (await readStoredFolder(h.db, h.account.id, "INBOX")).map((m) => m.uid);
  // Everything before the failed batch is there, nothing at or after the poison is, and the watermark agrees.
  expect(stored.filter((uid) => uid > watermark)).toEqual(uids.filter((uid) => uid < poisonUid).slice(0, stored.length - 6));
  expect(stored.some((uid) => uid >= poisonUid)).toBe(false);
  expect(await lastUid()).toBeLessThan(poisonUid);
  expect(await lastUid()).toBe(Math.max(watermark, ...stored));

  await h.database.db.execute(sql`drop trigger refuse_poison on messages`);
  const resumed = await h.sync({ limits: { batchMessages: 4, fetchChunk: 8 } });
  expect(resumed.outcome).toBe("success");
  expect(resumed.fetched).toBe(uids.filter((uid) => !stored.includes(uid)).length);
  await expectInSync(h);
});
