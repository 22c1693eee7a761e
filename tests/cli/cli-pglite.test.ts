import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { type CliEnv, holdDataDir, migrationCount, runCli } from "./run-cli";

// `npm run cli -- …` against the embedded default (PGlite in THREADLINE_DATA_DIR), in child processes.
// Each run opens the data dir anew (seconds in WASM), so the steps share one dir and run in order.
let dir: string;
let env: CliEnv;
let holder: Awaited<ReturnType<typeof holdDataDir>> | undefined;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-cli-"));
  env = { DATABASE_URL: undefined, THREADLINE_DATA_DIR: dir };
});
afterAll(() => {
  holder?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});
const cli = (...args: string[]) => runCli(args, env);
// Every step starts Node + tsx (and PGlite's WASM): seconds each, far more on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

test("migrate creates and migrates a fresh data dir", async () => {
  expect(await cli("migrate")).toMatchObject({ code: 0, json: { ok: true, migrationsApplied: migrationCount() } });
  expect(fs.existsSync(path.join(dir, "pglite"))).toBe(true);
  expect(fs.existsSync(path.join(dir, "pglite.lock")), "the lock is released on exit").toBe(false);
});

test("org:create creates an organisation; the same slug again is an error", async () => {
  const created = await cli("org:create", "acme", "--name", "Acme Ltd");
  expect(created.code).toBe(0);
  expect(created.json).toMatchObject({ slug: "acme", name: "Acme Ltd" });
  const again = await cli("org:create", "acme");
  expect(again.code).toBe(1);
  expect(again.json).toEqual({ error: 'The organisation slug "acme" is already taken' });
});

test("a data dir held by a live process is refused with a clear message; usable again once released", async () => {
  holder = await holdDataDir(env);
  const refused = await cli("org:list");
  expect(refused.code).toBe(1);
  expect(refused.json).toEqual({
    error:
      `The embedded database in ${dir} is in use by process ${holder.pid} (the app or the worker). ` +
      "Stop that process first, or set DATABASE_URL to use a shared Postgres.",
  });

  await holder.release();
  const listed = await cli("org:list");
  expect(listed.code).toBe(0);
  expect((listed.json as { organizations: { slug: string; name: string }[] }).organizations).toEqual([
    expect.objectContaining({ slug: "acme", name: "Acme Ltd", members: 0 }),
  ]);
});
