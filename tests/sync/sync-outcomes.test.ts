import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import * as t from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { startFaultProxy } from "../support/fault-proxy";
import { appendMessages, buildMessage } from "../support/mail-seed";
import { type SyncHarness, expectInSync, fetchCommands, startSyncHarness } from "./sync-harness";

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness();
});

afterAll(async () => {
  await h?.close();
});

async function account() {
  const [row] = await h.db.select().from(t.mailAccounts).where(eq(t.mailAccounts.id, h.account.id));
  return row!;
}

describe("sync outcomes", () => {
  it("a rejected password fails the pass, records it, and asks for a reconnect", async () => {
    await h.db.update(t.mailAccounts).set({ encryptedPassword: encryptSecret("not-the-password") }).where(eq(t.mailAccounts.id, h.account.id));
    const summary = await h.sync();
    expect(summary).toMatchObject({ outcome: "failed", more: true, fetched: 0, error: { kind: "auth", retryable: false } });
    expect(summary.error!.message).not.toContain("not-the-password");
    expect(await account()).toMatchObject({ status: "reconnect_needed", consecutiveFailures: 1 });
    const [run] = await h.db.select().from(t.syncRuns).where(eq(t.syncRuns.id, summary.runId));
    expect(run).toMatchObject({ outcome: "failed", errorKind: "auth" });
    expect(run!.finishedAt).not.toBeNull();

    await h.db.update(t.mailAccounts).set({ encryptedPassword: encryptSecret(h.server.users[0]!.password) }).where(eq(t.mailAccounts.id, h.account.id));
    const ok = await h.sync();
    expect(ok.outcome).toBe("success");
    expect(await account()).toMatchObject({ status: "active", consecutiveFailures: 0, statusReason: null });
  });

  it("an aborted pass stops between batches, keeps what it committed and says more remains", async () => {
    await appendMessages(h.seed, "INBOX", Array.from({ length: 20 }, (_, i) => ({ subject: `abort ${i}` })));
    const controller = new AbortController();
    let commits = 0;
    const summary = await h.sync({ limits: { batchMessages: 2, fetchChunk: 4 }, signal: controller.signal, onProgress: () => ++commits === 2 && controller.abort() });
    expect(summary).toMatchObject({ outcome: "partial", more: true });
    expect(summary.fetched).toBeGreaterThanOrEqual(4);
    expect(summary.fetched).toBeLessThan(20);
    expect(await account()).toMatchObject({ status: "syncing" });
    const rest = await h.sync();
    expect(rest.outcome).toBe("success");
    expect(summary.fetched + rest.fetched).toBe(20);
    await expectInSync(h);
  });

  it("a connection dropped mid-fetch is a retryable network failure, and the next pass completes", async () => {
    await appendMessages(h.seed, "INBOX", Array.from({ length: 30 }, (_, i) => ({ subject: `dropped ${i}`, size: 4000 })));
    // A proxy that cuts every connection once 60 KB have gone through it.
    const proxy = await startFaultProxy({ target: h.server, seed: 1, plan: { cutProbability: 1, cutAfterBytes: [60_000, 60_000] } });
    try {
      await h.db.update(t.mailAccounts).set({ imapPort: proxy.port }).where(eq(t.mailAccounts.id, h.account.id));
      const cut = await h.sync({ limits: { batchMessages: 5, fetchChunk: 10 } });
      expect(cut).toMatchObject({ more: true, error: { kind: "network", retryable: true } });
      expect(cut.outcome === "partial" || cut.outcome === "failed").toBe(true);
      expect(await account()).toMatchObject({ consecutiveFailures: 1, status: "active" });
      expect(proxy.cuts).toBe(1);
    } finally {
      await proxy.close();
      await h.db.update(t.mailAccounts).set({ imapPort: h.server.port }).where(eq(t.mailAccounts.id, h.account.id));
    }
    const next = await h.sync();
    expect(next.outcome).toBe("success");
    await expectInSync(h);
  });

  it("a message over the size limit is fetched only up to it, kept flagged, and not fetched again", async () => {
    const big = buildMessage({ subject: "huge attachment", size: 300_000 });
    await appendMessages(h.seed, "INBOX", [big]);
    const summary = await h.sync({ limits: { maxMessageBytes: 64 * 1024 } });
    expect(summary.fetched).toBe(1);
    expect(summary.bytes).toBe(64 * 1024);
    expect(summary.parseFailures).toBe(1);
    const [stored] = await queryRows<{ dedupe_key: string; size: number; parse_error: string; subject: string; raw: number }>(
      h.db,
      sql`select m.dedupe_key, m.size, m.parse_error, m.subject, length(r.source) as raw from messages m left join message_raw r on r.message_id = m.id
        where m.account_id = ${h.account.id} and m.subject = 'huge attachment'`,
    );
    expect(stored).toMatchObject({ size: big.length, subject: "huge attachment", raw: 64 * 1024 });
    expect(stored!.dedupe_key).toMatch(/^sha256-prefix:/);
    expect(stored!.parse_error).toMatch(/only the beginning was fetched/);
    await h.sync({ limits: { maxMessageBytes: 64 * 1024 } });
    expect(fetchCommands(h.commands)).toEqual([]);
  });
});
