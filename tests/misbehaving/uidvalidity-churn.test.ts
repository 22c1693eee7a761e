import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { appendMessages, setFlags } from "@/tests/support/mail-seed";
import { countOrphans, expectInSync, fetchCommands } from "@/tests/sync/sync-harness";
import { type TestJobs, type UnderFire, startJobs, startUnderFire } from "./support";

// A server whose UIDVALIDITY changes every session (the proxy shifts every folder's value by the
// session number). RFC 3501 says every stored UID is then void: each pass drops the folder's
// locations and re-reads it. The same bytes give the same dedupe key, so the same message rows come
// back: never a duplicate, never an orphan, and the set of messages stays exactly the server's.

let h: UnderFire;
let jobs: TestJobs;
const INBOX = 25;

beforeAll(async () => {
  h = await startUnderFire();
  await appendMessages(h.seed, "INBOX", Array.from({ length: INBOX }, (_, i) => ({ subject: `Churn ${i}`, size: 2000 })));
  await appendMessages(h.seed, "Sent", [{ subject: "Churn sent" }, { subject: "Churn sent 2" }]);
  jobs = await startJobs(h);
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await h?.close();
});

describe("UIDVALIDITY that changes every session", () => {
  test("each pass re-reads every folder; the messages stay exactly the server's, same rows, no duplicates or orphans", async () => {
    await jobs.syncNow("linked");
    await expectInSync(h);
    const ids = await messageIds();
    h.proxy.set({ churnUidValidity: true });

    const costs: { fetchedBytes: number; fetches: number; uidValidity: number }[] = [];
    for (let pass = 0; pass < 3; pass++) {
      // Changes between sessions still arrive: one new message and one flag change per pass.
      await appendMessages(h.seed, "INBOX", [{ subject: `Arrived during churn ${pass}` }]);
      await setFlags(h.seed, "INBOX", [1 + pass], ["\\Flagged"]);
      const commandsBefore = h.proxy.commands.length;
      await jobs.syncNow("schedule");
      const run = await h.lastRun();
      expect(run).toMatchObject({ outcome: "success" });
      const fetches = fetchCommands(h.proxy.commands.slice(commandsBefore).map((c) => `A ${c.line}`));
      costs.push({ fetchedBytes: run.bytes, fetches: fetches.length, uidValidity: await inboxUidValidity() });

      await expectInSync(h);
      expect(await countOrphans(h.db, h.account.id)).toBe(0);
      expect(await duplicateKeys()).toBe(0);
      // The rows that were there stay the same rows (only locations are rebuilt).
      const now = await messageIds();
      for (const id of ids) expect(now.has(id)).toBe(true);
      expect(now.size).toBe(ids.size + pass + 1);
    }
    console.log(`UIDVALIDITY churn, per pass: ${costs.map((c) => `${c.fetches} FETCHes, ${c.fetchedBytes} bytes (INBOX uidvalidity ${c.uidValidity})`).join("; ")}`);
    // Every pass saw a new UIDVALIDITY and paid for a full re-read of the mailbox (~INBOX × 2 KB),
    // where a quiet pass costs nothing (LIST-STATUS says unchanged, no SELECT at all).
    expect(new Set(costs.map((c) => c.uidValidity)).size).toBe(3);
    for (const c of costs) expect(c.fetchedBytes).toBeGreaterThan(INBOX * 2000);
    expect(await h.accountRow()).toMatchObject({ status: "active", consecutiveFailures: 0 });

    // Once the server keeps its UIDVALIDITY, a pass over unchanged folders fetches nothing.
    h.proxy.set({});
    await jobs.syncNow("schedule");
    const commandsBefore = h.proxy.commands.length;
    await jobs.syncNow("schedule");
    const quiet = h.proxy.commands.slice(commandsBefore).map((c) => c.line);
    expect(quiet.filter((l) => /^(UID FETCH|EXAMINE|SELECT)/i.test(l))).toEqual([]);
    await expectInSync(h);
  });
});

async function messageIds(): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(h.db, sql`select id from messages where account_id = ${h.account.id}`);
  return new Set(rows.map((r) => r.id));
}

async function duplicateKeys(): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    h.db,
    sql`select count(*)::int as n from (select dedupe_key from messages where account_id = ${h.account.id} group by dedupe_key having count(*) > 1) d`,
  );
  return Number(rows[0]!.n);
}

async function inboxUidValidity(): Promise<number> {
  const rows = await queryRows<{ v: string | number }>(h.db, sql`select uid_validity as v from mailboxes where account_id = ${h.account.id} and path = 'INBOX'`);
  return Number(rows[0]!.v);
}
