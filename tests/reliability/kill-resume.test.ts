import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";
import type { SyncLimits } from "@/lib/sync/types";
import { type DovecotServer, startDovecot } from "../support/dovecot";
import { mulberry32 } from "../support/fault-proxy";
import { openSeedClient } from "../support/mail-seed";
import { type TestDatabase, createTestDatabase } from "../support/test-database";
import { countBodyFetchUids } from "./body-fetches";
import { expectExact, insertAccountFor, seedMailbox, serverMessageCount, storedLocations } from "./reliability-support";

// Issue 7, process kills: a child process syncing a fresh account is killed with SIGKILL at a
// seeded random moment; the sync then runs again (in this process) and must (a) not fetch again
// the bodies the killed run committed — every UID asked for in a body FETCH is counted — and
// (b) end with exactly the server's mail.
//
// Reproduce one seed: RELIABILITY_SEEDS=9003 npx vitest run --project postgres tests/reliability/kill-resume.test.ts

const SEEDS = process.env.RELIABILITY_SEEDS ? process.env.RELIABILITY_SEEDS.split(",").map(Number) : Array.from({ length: 20 }, (_, i) => 9001 + i);
const SHAPE = { INBOX: 70, Archive: 30, Sent: 20 };
// Small batches and fetch chunks: many commits, so a kill lands between and inside them.
const LIMITS: SyncLimits = { batchMessages: 9, fetchChunk: 40 };
const CHILD = path.join(import.meta.dirname, "kill-child.ts");

let server: DovecotServer;
let database: TestDatabase;
let client: ImapFlow;
let childArgs: string[];
let bundleDir: string | null = null;
// Time from "ready" to the end of an unkilled child's sync, measured once on this machine.
let syncMs = 0;
let serverMessages = 0;
const outcomes: { seed: number; delayMs: number; commits: number; landed: "before first commit" | "mid-sync" | "after the end"; refetched: number }[] = [];

beforeAll(async () => {
  [server, database, childArgs] = await Promise.all([startDovecot(), createTestDatabase({ engine: "postgres" }), childCommand()]);
  seedMailbox(server, server.users[0]!, mulberry32(9000), 9000, SHAPE);
  client = await openSeedClient(server);
  serverMessages = await serverMessageCount(client);
  // Calibration: one whole sync in a child, timed from "ready".
  const calibration = await insertAccountFor(database.db, server, server.users[0]!, "kill-calibration");
  const run = await runChild(calibration.id);
  expect(run.code, run.output).toBe(0);
  syncMs = run.syncMs;
}, 120_000);

afterAll(async () => {
  await client?.logout().catch(() => client.close());
  await Promise.all([server?.stop(), database?.close()]);
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
  if (outcomes.length) {
    const mid = outcomes.filter((o) => o.landed === "mid-sync").length;
    console.log(
      `kill-resume: ${outcomes.length} kills, ${mid} mid-sync (${Math.round((mid * 100) / outcomes.length)} %), ` +
        `${outcomes.filter((o) => o.landed === "before first commit").length} before the first commit, ${outcomes.filter((o) => o.landed === "after the end").length} after the end; ` +
        `unkilled sync ${syncMs} ms; refetched at most ${Math.max(...outcomes.map((o) => o.refetched))} bodies`,
    );
  }
});

describe(`kill -9 mid-sync: ${SEEDS.length} seeded kills, then a resumed sync`, () => {
  test.each(SEEDS)("seed %i", async (seed) => {
    const random = mulberry32(seed);
    const account = await insertAccountFor(database.db, server, server.users[0]!, `kill-${seed}`);
    // Anywhere in the sync, from connecting to the last commit.
    const delayMs = Math.round(syncMs * (0.05 + random() * 0.9));
    try {
      const killed = await runChild(account.id, delayMs);
      const landed = killed.finished ? "after the end" : killed.commits > 0 ? "mid-sync" : "before first commit";
      const storedBefore = await storedLocations(database.db, account.id);

      let requested = 0;
      const resumed = await syncAccount({
        db: database.db,
        account: account.id,
        limits: LIMITS,
        connect: (a) => openAccountConnection(a, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" }, onCommand: (line) => (requested += countBodyFetchUids(line)) }),
      });
      expect(resumed.outcome, JSON.stringify(resumed.error)).toBe("success");
      // Only what the killed run had not committed is fetched again (one batch of slack).
      const owed = serverMessages - storedBefore;
      outcomes.push({ seed, delayMs, commits: killed.commits, landed, refetched: Math.max(0, requested - owed) });
      expect(requested, `resumed run asked for ${requested} bodies; ${storedBefore} of ${serverMessages} were stored`).toBeLessThanOrEqual(owed + LIMITS.batchMessages!);
      await expectExact(database.db, client, account.id);
    } catch (error) {
      throw new Error(`seed ${seed}, killed ${delayMs} ms after start (reproduce with RELIABILITY_SEEDS=${seed}): ${(error as Error).message}`, { cause: error });
    }
  });

  test("most kills landed mid-sync", () => {
    expect(outcomes.filter((o) => o.landed === "mid-sync").length).toBeGreaterThanOrEqual(Math.ceil(SEEDS.length * 0.6));
  });
});

type ChildRun = { code: number | null; signal: NodeJS.Signals | null; output: string; commits: number; finished: boolean; syncMs: number };

/** Runs the child; with `killAfterMs`, SIGKILLs it that long after it said "ready". */
function runChild(accountId: string, killAfterMs?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, childArgs, {
      env: { ...process.env, KILL_CHILD_DATABASE_URL: database.url!, KILL_CHILD_ACCOUNT_ID: accountId, KILL_CHILD_LIMITS: JSON.stringify(LIMITS) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let readyAt = 0;
    let commits = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      commits += text.split("\n").filter((line) => line === "commit").length;
      if (!readyAt && output.startsWith("ready\n")) {
        readyAt = Date.now();
        if (killAfterMs !== undefined) setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      resolve({ code, signal, output, commits, finished: output.includes('"outcome"'), syncMs: readyAt ? Date.now() - readyAt : 0 }),
    );
  });
}

// tsx needs seconds to load the sync's import graph in every child; one esbuild bundle loads in ~0.3 s.
async function childCommand(): Promise<string[]> {
  try {
    const esbuild = await import("esbuild");
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-kill-child-"));
    const outfile = path.join(bundleDir, "child.mjs");
    await esbuild.build({
      entryPoints: [CHILD],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      alias: { "@": path.join(import.meta.dirname, "../..") },
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: "silent",
    });
    return [outfile];
  } catch {
    return ["--import", "tsx", CHILD];
  }
}
