import { beforeAll, describe, expect, test, vi } from "vitest";
import { fileTestDatabase } from "@/tests/support/test-database";
import { type CliEnv, migrationCount, runCli } from "./run-cli";

// `npm run cli -- …` against Postgres (DATABASE_URL), in child processes.
const database = fileTestDatabase({ engine: "postgres" });
let env: CliEnv;
beforeAll(async () => {
  env = { DATABASE_URL: database.url, THREADLINE_DATA_DIR: undefined };
});
const cli = (...args: string[]) => runCli(args, env);
// Every step starts Node + tsx (and PGlite's WASM): seconds each, far more on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

test("migrate reports every migration as applied", async () => {
  expect(await cli("migrate")).toMatchObject({ code: 0, json: { ok: true, migrationsApplied: migrationCount() } });
});

test("org:create creates an organisation; a second one with the same slug is an error; org:list shows one", async () => {
  const created = await cli("org:create", "acme", "--name", "Acme Ltd");
  expect(created.code).toBe(0);
  expect(created.json).toMatchObject({ slug: "acme", name: "Acme Ltd", id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

  const again = await cli("org:create", "ACME", "--name", "Impostor");
  expect(again.code).toBe(1);
  expect(again.json).toEqual({ error: 'The organisation slug "acme" is already taken' });

  const listed = await cli("org:list");
  expect(listed.code).toBe(0);
  expect(listed.json).toEqual({
    organizations: [expect.objectContaining({ id: (created.json as { id: string }).id, slug: "acme", name: "Acme Ltd", personal: false, members: 0 })],
  });
});

describe.concurrent("bad input", () => {
  test("an invalid slug gets the rule it breaks, not a validation dump", async () => {
    const result = await cli("org:create", "Not A Slug!");
    expect(result.code).toBe(2);
    expect(result.json).toEqual({ error: "Use lowercase letters, digits and inner hyphens only" });
  });

  test("a reserved slug says so", async () => {
    const result = await cli("org:create", "admin");
    expect(result.code).toBe(2);
    expect(result.json).toEqual({ error: "That slug is reserved" });
  });

  test("a missing argument names it", async () => {
    const result = await cli("org:create");
    expect(result.code).toBe(2);
    expect(result.json).toEqual({ error: "<slug> is required" });
  });

  test("an unknown command lists the known ones without opening a database", async () => {
    const result = await runCli(["no:such-command"], { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(result.code).toBe(2);
    expect(result.json).toMatchObject({ error: 'Unknown command "no:such-command"', commands: expect.arrayContaining(["migrate", "org:create", "org:list"]) });
  });
});
