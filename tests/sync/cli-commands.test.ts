import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "@/scripts/cli/args";
import { commands } from "@/scripts/cli/commands";
import { type DovecotServer, startDovecot } from "../support/dovecot";
import { appendMessages, withSeedClient } from "../support/mail-seed";
import { type TestDatabase, createTestDatabase } from "../support/test-database";

// The operator commands account:add, sync and stats, called the way scripts/cli.ts calls them.
let server: DovecotServer;
let database: TestDatabase;

beforeAll(async () => {
  [server, database] = await Promise.all([startDovecot(), createTestDatabase()]);
  await (await commands["org:create"]!())(parseArgs(["acme"]), database.db);
  process.env.TEST_IMAP_PASSWORD = server.users[0]!.password;
  await withSeedClient(server, (client) => appendMessages(client, "INBOX", [{ subject: "hello", from: "Carol <carol@client.example>" }, { subject: "again" }]));
});

afterAll(async () => {
  delete process.env.THREADLINE_ALLOW_PRIVATE_HOSTS;
  await Promise.all([server?.stop(), database?.close()]);
});

const run = async (argv: string[]) => (await (await commands[argv[0]!]!())(parseArgs(argv.slice(1)), database.db)) as Record<string, unknown>;
const imapUrl = () => `imap://alice%40example.test@127.0.0.1:${server.port}`;

describe("account:add, sync, stats", () => {
  it("refuses a loopback server unless private hosts are allowed", async () => {
    delete process.env.THREADLINE_ALLOW_PRIVATE_HOSTS;
    await expect(run(["account:add", "--org", "acme", "--imap", imapUrl(), "--password-env", "TEST_IMAP_PASSWORD"])).rejects.toThrow(/THREADLINE_ALLOW_PRIVATE_HOSTS/);
  });

  it("rejects bad input with a clear message", async () => {
    process.env.THREADLINE_ALLOW_PRIVATE_HOSTS = "1";
    await expect(run(["account:add", "--org", "acme", "--imap", "http://x@y", "--password-env", "TEST_IMAP_PASSWORD"])).rejects.toThrow(/imap:\/\/ or imaps:\/\//);
    await expect(run(["account:add", "--org", "acme", "--imap", imapUrl(), "--password-env", "NO_SUCH_VAR"])).rejects.toThrow(/NO_SUCH_VAR/);
    await expect(run(["account:add", "--org", "nope", "--imap", imapUrl(), "--password-env", "TEST_IMAP_PASSWORD"])).rejects.toThrow(/No organisation/);
    process.env.WRONG_PASSWORD = "not-it";
    await expect(run(["account:add", "--org", "acme", "--imap", imapUrl(), "--password-env", "WRONG_PASSWORD"])).rejects.toThrow(/Could not log in \(auth\)/);
  });

  it("adds the account (password encrypted), syncs it and reports what is stored", async () => {
    process.env.THREADLINE_ALLOW_PRIVATE_HOSTS = "1";
    const added = await run(["account:add", "--org", "acme", "--imap", imapUrl(), "--password-env", "TEST_IMAP_PASSWORD"]);
    expect(added).toMatchObject({ provider: "imap", emailAddress: "alice@example.test", imap: { port: server.port, security: "none", user: "alice@example.test" }, status: "connecting" });
    await expect(run(["account:add", "--org", "acme", "--imap", imapUrl(), "--password-env", "TEST_IMAP_PASSWORD"])).rejects.toThrow(/already linked/);

    const summary = await run(["sync", String(added.id)]);
    expect(summary).toMatchObject({ outcome: "success", more: false, fetched: 2, added: 2 });
    const again = await run(["sync", String(added.id)]);
    expect(again).toMatchObject({ outcome: "success", fetched: 0, mailboxes: [] });

    const stats = await run(["stats", String(added.id)]);
    expect(stats).toMatchObject({ messages: 2, locations: 2, parseFailures: 0, account: { status: "active" } });
    expect(stats.threads).toBe(2);
    expect(stats.contacts).toBeGreaterThanOrEqual(1);
    expect((stats.mailboxes as { path: string }[]).map((m) => m.path)).toContain("INBOX");
    await expect(run(["stats", "not-a-uuid"])).rejects.toThrow(/not an account id/);
  });
});
