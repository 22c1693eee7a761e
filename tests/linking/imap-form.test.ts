import { eq } from "drizzle-orm";
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { mailAccounts } from "@/db/schema";
import type * as Actions from "@/app/(dashboard)/[slug]/accounts/actions";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { syncAccount } from "@/lib/sync/sync-account";
import { type DovecotServer, startDovecot } from "@/tests/support/dovecot";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { seedWorld, signInAs, useAsAppDatabase, type World } from "@/tests/tenancy/support";

vi.mock("@/auth", () => ({
  auth: vi.fn(async () => null),
  signIn: vi.fn(),
  signOut: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn() },
  AuthError: class AuthError extends Error {},
}));

/*
 * The IMAP form's server actions ("Test connection", "Link mailbox") against a real Dovecot: a
 * working login lists the folders and stores the password encrypted; every usual mistake gets a
 * plain-word message pointing at the field to fix, and stores nothing.
 *
 * Dovecot's certificate is self-signed. Where a test needs the TLS handshake to succeed (to reach
 * the login), NODE_TLS_REJECT_UNAUTHORIZED=0 stands in for a trusted certificate; the
 * certificate test runs without it.
 */

type Settings = { host: string; port: number; security: "tls" | "starttls"; user: string; password: string; emailAddress?: string };
type Result = { data?: { ok: boolean; reason?: string; field?: string | null; message?: string; folders?: { path: string }[]; accountId?: string }; validationErrors?: unknown; serverError?: unknown };

let testDb: TestDatabase;
let releaseAppDatabase: () => void;
let dovecot: DovecotServer;
let world: World;
let actions: typeof Actions;

beforeAll(async () => {
  testDb = await createTestDatabase();
  releaseAppDatabase = useAsAppDatabase(testDb);
  dovecot = await startDovecot();
  world = await seedWorld(testDb.db);
  actions = await import("@/app/(dashboard)/[slug]/accounts/actions");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  releaseAppDatabase?.();
  await dovecot?.stop();
  await testDb?.close();
});

beforeEach(() => {
  // A fresh rate limiter per test (the one test about it below counts from zero).
  delete (globalThis as { threadlineImapFormLimiter?: unknown }).threadlineImapFormLimiter;
  vi.unstubAllEnvs();
  vi.stubEnv("THREADLINE_ALLOW_PRIVATE_HOSTS", "1");
  vi.stubEnv("NODE_TLS_REJECT_UNAUTHORIZED", "0");
  signInAs(world.a.member);
});

const alice = (overrides: Partial<Settings> = {}): Settings => ({
  host: dovecot.host,
  port: dovecot.port,
  security: "starttls",
  user: "alice@example.test",
  password: "alice-password",
  ...overrides,
});
const testConnection = async (settings: Settings) => (await actions.testImapConnectionAction({ slug: world.a.slug, settings })) as Result;
const link = async (settings: Settings) => (await actions.linkImapAccountAction({ slug: world.a.slug, settings })) as Result;
const accountsOfA = () => testDb.db.select().from(mailAccounts).where(eq(mailAccounts.orgId, world.a.id));

describe("a working server", () => {
  it("Test connection logs in and lists the folders, storing nothing", async () => {
    const result = await testConnection(alice());
    expect(result.data).toMatchObject({ ok: true, gmail: false });
    expect(result.data!.folders!.map((f) => f.path).sort()).toEqual(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"]);
    expect(await accountsOfA()).toEqual([]);
  });

  it("Link mailbox stores it for the member with the password encrypted; linking it again updates the same account", async () => {
    const first = await link(alice({ security: "tls", port: dovecot.tlsPort }));
    expect(first.data).toMatchObject({ ok: true, created: true });
    const [row] = await accountsOfA();
    expect(row).toMatchObject({
      id: first.data!.accountId,
      userId: world.a.member.id,
      provider: "imap",
      emailAddress: "alice@example.test",
      imapHost: dovecot.host,
      imapPort: dovecot.tlsPort,
      imapSecurity: "tls",
      authKind: "password",
      encryptedAccessToken: null,
    });
    expect(row!.encryptedPassword).toMatch(/^tlenc:/);
    expect(decryptSecret(row!.encryptedPassword!)).toBe("alice-password");

    // The stored password is what the sync logs in with.
    expect(await syncAccount({ db: testDb.db, account: row!.id })).toMatchObject({ outcome: "success" });

    const again = await link(alice());
    expect(again.data).toMatchObject({ ok: true, created: false, accountId: row!.id });
    const [updated] = await accountsOfA();
    expect(updated).toMatchObject({ imapPort: dovecot.port, imapSecurity: "starttls", status: "active" });
  });
});

describe("mistakes get a message for the right field, and nothing is stored", () => {
  const expectFailure = async (settings: Settings, reason: string, field: string | null, message: RegExp, { linkToo = true } = {}) => {
    const before = await accountsOfA();
    const tested = await testConnection(settings);
    expect(tested.data).toMatchObject({ ok: false, reason, field });
    expect(tested.data!.message).toMatch(message);
    expect(tested.data!.message).not.toContain(settings.password);
    if (linkToo) expect((await link(settings)).data).toMatchObject({ ok: false, reason });
    expect(await accountsOfA()).toEqual(before);
  };

  it("a wrong password", async () => {
    await expectFailure(alice({ password: "Wrong-Secret-42" }), "auth", "password", /refused this user name and password.*app password/);
  });

  it("a closed port", async () => {
    await expectFailure(alice({ port: await closedPort() }), "closed_port", "port", new RegExp(`Nothing accepts connections on ${dovecot.host}:\\d+.*993 for TLS, 143 for STARTTLS`));
  });

  it("TLS to a plain IMAP port", async () => {
    await expectFailure(alice({ security: "tls" }), "tls_mismatch", "security", /does not speak TLS from the start. Choose STARTTLS/);
  });

  it("STARTTLS to a TLS port (the server waits for a handshake that never comes)", async () => {
    // Waits out the form's 10 s greeting timeout: once is enough.
    await expectFailure(alice({ port: dovecot.tlsPort }), "tls_mismatch", "security", /did not greet.*choose TLS/, { linkToo: false });
  });

  it("a certificate that cannot be trusted (self-signed)", async () => {
    vi.stubEnv("NODE_TLS_REJECT_UNAUTHORIZED", undefined);
    await expectFailure(alice({ security: "tls", port: dovecot.tlsPort }), "bad_certificate", "host", /certificate is self-signed/);
  });

  it("a private host, unless the operator allows them", async () => {
    vi.stubEnv("THREADLINE_ALLOW_PRIVATE_HOSTS", undefined);
    await expectFailure(alice(), "forbidden_host", "host", /private or local network address \(127\.0\.0\.1\).*THREADLINE_ALLOW_PRIVATE_HOSTS=1/);
  });

  it("a host name that does not exist", async () => {
    await expectFailure(alice({ host: "no-such-host.invalid" }), "host_not_found", "host", /Cannot find the server "no-such-host.invalid"/);
  });

  it("malformed input is a validation error naming the field", async () => {
    const result = await testConnection(alice({ port: 70000, host: "imap.example.com/inbox" }));
    expect(result.validationErrors).toMatchObject({ settings: { host: { _errors: [expect.stringMatching(/server name/)] }, port: { _errors: ["Ports go from 1 to 65535"] } } });
  });
});

it("connection attempts are rate limited per member and organisation", async () => {
  vi.stubEnv("THREADLINE_ALLOW_PRIVATE_HOSTS", undefined);
  signInAs(world.a.admin);
  const reasons: string[] = [];
  for (let i = 0; i < 12; i++) reasons.push((await testConnection(alice())).data!.reason!);
  expect(reasons.slice(0, 10)).toEqual(Array(10).fill("forbidden_host"));
  expect(reasons.slice(10)).toEqual(["rate_limited", "rate_limited"]);
  expect((await testConnection(alice())).data!.message).toMatch(/Too many connection attempts. Try again in \d+ s/);
  // Someone else is not slowed down.
  signInAs(world.a.owner);
  expect((await testConnection(alice())).data!.reason).toBe("forbidden_host");
});

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
