import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appendMessages, buildMessage, deleteMessages, deliverToMaildir, listFolderUids, moveMessages, readFolder, setFlags } from "../support/mail-seed";
import { childCommand } from "../support/child-command";
import { type SyncHarness, countMessages, expectInSync, startSyncHarness } from "./sync-harness";

// Kill a syncing process at a seeded random moment, run it again, and the database must hold
// exactly what the server holds: every folder's UIDs, content hashes and flags, nothing more.

const CHILD = path.join(import.meta.dirname, "run-sync-child.ts");
let h: SyncHarness;
let childCmd: Awaited<ReturnType<typeof childCommand>>;

beforeAll(async () => {
  [h, childCmd] = await Promise.all([startSyncHarness(), childCommand(CHILD)]);
  deliverToMaildir(h.server, "INBOX", Array.from({ length: 200 }, (_, i) => buildMessage({ subject: `inbox ${i}`, size: 400 + ((i * 977) % 6000) })));
  deliverToMaildir(h.server, "Archive", Array.from({ length: 40 }, (_, i) => buildMessage({ subject: `archive ${i}` })));
  deliverToMaildir(h.server, "Sent", Array.from({ length: 30 }, (_, i) => buildMessage({ subject: `sent ${i}`, from: "alice@example.test" })));
}, 60_000);

afterAll(async () => {
  await h?.close();
  childCmd?.cleanup();
});

it("a sync killed at a random point and run again ends with exactly the server's messages", async () => {
  const random = mulberry32(20261125);
  const killedAfter: number[] = [];
  for (let round = 0; round < 4; round++) {
    if (round > 0) await mutateServer(random);
    // Kill after the k-th committed batch plus a few ms: between commits, inside one, or mid-fetch.
    // Round 0 syncs ~270 messages in ~30 batches; later rounds ~25 in ~3.
    const commits = Math.floor(random() * (round === 0 ? 25 : 3));
    const killed = await runChild({ killAfterCommits: commits, extraMs: Math.floor(random() * 15) });
    killedAfter.push(killed.commits);
    const resumed = await runChild({});
    expect(resumed.code, resumed.output).toBe(0);
    expect(JSON.parse(resumed.output.trim().split("\n").pop()!).outcome).toBe("success");
    await expectInSync(h);
    const distinct = new Set<string>();
    for (const folder of ["INBOX", "Archive", "Sent", "Trash", "Junk", "Drafts"]) for (const m of await readFolder(h.seed, folder)) distinct.add(m.sha256);
    expect(await countMessages(h.db, h.account.id)).toBe(distinct.size);
  }
  // The kills must have interrupted real work for the test to mean anything.
  expect(killedAfter.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
}, 120_000);

async function mutateServer(random: () => number) {
  const inbox = await listFolderUids(h.seed, "INBOX");
  const pick = (n: number) => [...new Set(Array.from({ length: n }, () => inbox[Math.floor(random() * inbox.length)]!))];
  await deleteMessages(h.seed, "INBOX", pick(8));
  const moving = pick(6).filter((uid) => inbox.includes(uid));
  const left = await listFolderUids(h.seed, "INBOX");
  await moveMessages(h.seed, "INBOX", moving.filter((uid) => left.includes(uid)), "Archive");
  const now = await listFolderUids(h.seed, "INBOX");
  await setFlags(h.seed, "INBOX", now.filter(() => random() < 0.1), ["\\Seen"]);
  await appendMessages(h.seed, "INBOX", Array.from({ length: 20 }, (_, i) => ({ subject: `new ${i}`, size: 500 + i * 40 })));
}

type ChildRun = { code: number | null; signal: NodeJS.Signals | null; output: string; commits: number };

function runChild(options: { killAfterCommits?: number; extraMs?: number }): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, childCmd.args, {
      cwd: path.join(import.meta.dirname, "../.."),
      env: { ...process.env, SYNC_CHILD_DATABASE_URL: h.database.url!, SYNC_CHILD_ACCOUNT_ID: h.account.id },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let commits = 0;
    let armed = false;
    const maybeKill = () => {
      if (options.killAfterCommits === undefined || armed || !output.startsWith("ready\n") || commits < options.killAfterCommits) return;
      armed = true;
      setTimeout(() => child.kill("SIGKILL"), options.extraMs ?? 0);
    };
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      commits += text.split("\n").filter((line) => line === "commit").length;
      maybeKill();
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal, output, commits }));
  });
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
