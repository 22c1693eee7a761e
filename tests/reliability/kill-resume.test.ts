import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "@/db/rows";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";
import type { SyncLimits } from "@/lib/sync/types";
import { childCommand } from "../support/child-command";
import { type DovecotServer, startDovecot } from "../support/dovecot";
import { mulberry32 } from "../support/fault-proxy";
import { appendMessages, deleteMessages, listFolderUids, openSeedClient, setFlags } from "../support/mail-seed";
import { type TestDatabase, createTestDatabase } from "../support/test-database";
import { countBodyFetchUids } from "./body-fetches";
import { expectExact, insertAccountFor, reliabilityUsers, seedMailbox } from "./reliability-support";

// Issue 7, process kills: a child process syncing a fresh account is killed with SIGKILL at a
// seeded random moment; the sync then runs again (in this process) and must (a) not fetch again
// the bodies the killed run committed — every UID asked for in a body FETCH is counted — and
// (b) end with exactly the server's mail, although another client changed flags, deleted and
// delivered mail between the kill and the resume.
//
// Reproduce one seed: RELIABILITY_SEEDS=9003 npx vitest run --project postgres tests/reliability/kill-resume.test.ts

const SEEDS = process.env.RELIABILITY_SEEDS ? process.env.RELIABILITY_SEEDS.split(",").map(Number) : Array.from({ length: 20 }, (_, i) => 9001 + i);
const SHAPE = { INBOX: 70, Archive: 30, Sent: 20 };
// Small batches and fetch chunks: many commits, so a kill lands between and inside them.
const LIMITS: SyncLimits = { batchMessages: 9, fetchChunk: 40 };
const CHILD = path.join(import.meta.dirname, "kill-child.ts");

let server: DovecotServer;
let database: TestDatabase;
const users = reliabilityUsers(SEEDS.length + 1);
// The seed's mailbox, as another mail client.
let client: ImapFlow;
let childCmd: Awaited<ReturnType<typeof childCommand>>;
// An unkilled child's sync, measured once on this machine: time from "ready" to the end, commits,
// time to the first commit and between commits.
let calibration = { syncMs: 0, commits: 0, firstCommitMs: 0, commitIntervalMs: 0 };
const outcomes: { seed: number; kill: string; commits: number; landed: "before first commit" | "mid-sync" | "after the end"; refetched: number; leftovers: number }[] = [];

beforeAll(async () => {
  [server, database, childCmd] = await Promise.all([startDovecot({ users }), createTestDatabase({ engine: "postgres" }), childCommand(CHILD)]);
  // One mailbox per seed (its content follows from the seed), and one for the calibration run.
  SEEDS.forEach((seed, i) => seedMailbox(server, users[i]!, mulberry32(seed), seed, SHAPE));
  seedMailbox(server, users[SEEDS.length]!, mulberry32(9000), 9000, SHAPE);
  // Calibration: one whole sync in a child, timed from "ready".
  const unkilled = await insertAccountFor(database.db, server, users[SEEDS.length]!, "kill-calibration");
  const run = await runChild(unkilled.id);
  expect(run.code, run.output).toBe(0);
  calibration = {
    syncMs: run.syncMs,
    commits: run.commitTimes.length,
    firstCommitMs: run.commitTimes[0] ?? run.syncMs,
    commitIntervalMs: (run.syncMs - (run.commitTimes[0] ?? 0)) / Math.max(1, run.commitTimes.length),
  };
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), database?.close()]);
  childCmd?.cleanup();
  if (outcomes.length) {
    const mid = outcomes.filter((o) => o.landed === "mid-sync").length;
    console.log(
      `kill-resume: ${outcomes.length} kills, ${mid} mid-sync (${Math.round((mid * 100) / outcomes.length)} %), ` +
        `${outcomes.filter((o) => o.landed === "before first commit").length} before the first commit, ${outcomes.filter((o) => o.landed === "after the end").length} after the end; ` +
        `unkilled sync ${calibration.syncMs} ms with ${calibration.commits} commits; refetched at most ${Math.max(...outcomes.map((o) => o.refetched))} bodies; ` +
        `${outcomes.filter((o) => o.leftovers > 0).length} kills left committed batches below the backfill checkpoint`,
    );
  }
});

describe(`kill -9 mid-sync: ${SEEDS.length} seeded kills, then a resumed sync`, () => {
  test.each(SEEDS.map((seed, i) => [seed, i] as const))("seed %i", async (seed, i) => {
    const random = mulberry32(seed);
    const account = await insertAccountFor(database.db, server, users[i]!, `kill-${seed}`);
    client = await openSeedClient(server, users[i]!);
    // Anywhere in the sync, from connecting to the last commit: after the k-th commit (k = 0: after
    // "ready"), a random part of the time the next commit takes. Anchored on progress rather than on
    // the clock, so a busy machine still sees kills land mid-sync.
    const afterCommits = Math.floor(random() * calibration.commits);
    const delayMs = Math.round(random() * (afterCommits === 0 ? calibration.firstCommitMs : calibration.commitIntervalMs));
    const kill = `${delayMs} ms after commit ${afterCommits}`;
    try {
      const killed = await runChild(account.id, { afterCommits, delayMs });
      const landed = killed.finished ? "after the end" : killed.commits > 0 ? "mid-sync" : "before first commit";
      // Another client acts meanwhile, on the batches the killed run committed inside its last
      // backfill chunk first (the resumed run does not fetch those again, so it must see this).
      const leftovers = await leftoverUids(account.id);
      const mode = random() < 0.5 ? "add" : "remove";
      for (const [folder, uids] of leftovers) {
        await setFlags(client, folder, uids.slice(0, 3), ["\\Flagged"], mode);
        await deleteMessages(client, folder, [uids[uids.length - 1]!]);
      }
      const inbox = await listFolderUids(client, "INBOX");
      await setFlags(client, "INBOX", Array.from({ length: 3 }, () => inbox[Math.floor(random() * inbox.length)]!), ["\\Flagged"], mode);
      if (!leftovers.size) await deleteMessages(client, "INBOX", [inbox[Math.floor(random() * inbox.length)]!]);
      await appendMessages(client, "INBOX", [{ subject: `arrived after kill ${seed}`, size: 300 + Math.floor(random() * 3000) }]);
      const owed = await unstoredOnServer(account.id);

      let requested = 0;
      const resumed = await syncAccount({
        db: database.db,
        account: account.id,
        limits: LIMITS,
        connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" }, onCommand: (line) => (requested += countBodyFetchUids(line)) }),
      });
      expect(resumed.outcome, JSON.stringify(resumed.error)).toBe("success");
      // Only what the killed run had not committed is fetched (one batch of slack).
      outcomes.push({ seed, kill, commits: killed.commits, landed, refetched: Math.max(0, requested - owed), leftovers: leftovers.size });
      expect(requested, `resumed run asked for ${requested} bodies; ${owed} server messages were not stored`).toBeLessThanOrEqual(owed + LIMITS.batchMessages!);
      await expectExact(database.db, client, account.id);
    } catch (error) {
      throw new Error(`seed ${seed}, killed ${kill} (reproduce with RELIABILITY_SEEDS=${seed}): ${(error as Error).message}`, { cause: error });
    } finally {
      await client.logout().catch(() => client.close());
    }
  });

  test("most kills landed mid-sync", () => {
    expect(outcomes.filter((o) => o.landed === "mid-sync").length).toBeGreaterThanOrEqual(Math.ceil(SEEDS.length * 0.6));
  });
});

/** Per folder, the UIDs stored below its backfill checkpoint (committed inside an unfinished chunk). */
async function leftoverUids(accountId: string): Promise<Map<string, number[]>> {
  const rows = await queryRows<{ path: string; uid: number | string }>(
    database.db,
    sql`select b.path, l.uid from message_locations l join mailboxes b on b.id = l.mailbox_id
      where l.account_id = ${accountId} and b.backfill_uid is not null and l.uid < b.backfill_uid order by l.uid`,
  );
  const byFolder = new Map<string, number[]>();
  for (const row of rows) byFolder.set(row.path, [...(byFolder.get(row.path) ?? []), Number(row.uid)]);
  return byFolder;
}

/** Messages on the server, in every folder, that the database has no location for. */
async function unstoredOnServer(accountId: string): Promise<number> {
  let n = 0;
  for (const folder of (await client.list()).filter((f) => !f.flags.has("\\Noselect"))) {
    const rows = await queryRows<{ uid: number | string }>(
      database.db,
      sql`select l.uid from message_locations l join mailboxes b on b.id = l.mailbox_id where l.account_id = ${accountId} and b.path = ${folder.path}`,
    );
    const stored = new Set(rows.map((r) => Number(r.uid)));
    n += (await listFolderUids(client, folder.path)).filter((uid) => !stored.has(uid)).length;
  }
  return n;
}

type ChildRun = { code: number | null; signal: NodeJS.Signals | null; output: string; commits: number; commitTimes: number[]; finished: boolean; syncMs: number };

/** Runs the child; with `kill`, SIGKILLs it `delayMs` after its `afterCommits`-th commit (0: after "ready"). */
function runChild(accountId: string, kill?: { afterCommits: number; delayMs: number }): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, childCmd.args, {
      env: { ...process.env, KILL_CHILD_DATABASE_URL: database.url!, KILL_CHILD_ACCOUNT_ID: accountId, KILL_CHILD_LIMITS: JSON.stringify(LIMITS) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let readyAt = 0;
    const commitTimes: number[] = [];
    let armed = false;
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line === "commit") commitTimes.push(Date.now() - readyAt);
      if (!readyAt && output.startsWith("ready\n")) readyAt = Date.now();
      if (kill && readyAt && !armed && commitTimes.length >= kill.afterCommits) {
        armed = true;
        setTimeout(() => child.kill("SIGKILL"), kill.delayMs);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      resolve({ code, signal, output, commits: commitTimes.length, commitTimes, finished: output.includes('"outcome"'), syncMs: readyAt ? Date.now() - readyAt : 0 }),
    );
  });
}

