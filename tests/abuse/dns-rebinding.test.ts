import dns from "node:dns";
import net from "node:net";
import tls from "node:tls";
import { afterEach, beforeAll, expect, it, vi } from "vitest";
import { testImapConnection } from "@/lib/accounts/test-imap-connection";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { type MailAccountRow, openAccountConnection } from "@/lib/imap/open-account-connection";

/*
 * DNS rebinding: a name that answers a public address when checked and 127.0.0.1 a moment later
 * (when the socket would resolve it) must not reach loopback. The check hands its checked address
 * to the connection, so the socket dials exactly that, and no second lookup of the name happens.
 * Every dial is recorded and then sent to a closed local port, so nothing leaves this machine.
 */

const PUBLIC = "93.184.215.14";
let closedPort = 0;
let dialled: string[] = [];
let lookups: string[] = [];

beforeAll(async () => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterEach(() => vi.restoreAllMocks());

function rebindingDns() {
  dialled = [];
  lookups = [];
  let answers = 0;
  // The first answer (the check) is public; every later one is loopback.
  vi.spyOn(dns.promises, "lookup").mockImplementation((async (name: string) => {
    lookups.push(name);
    return [{ address: answers++ === 0 ? PUBLIC : "127.0.0.1", family: 4 }];
  }) as never);
  vi.spyOn(dns, "lookup").mockImplementation(((name: string, ...rest: unknown[]) => {
    lookups.push(name);
    const callback = rest.at(-1) as (error: null, address: string, family: number) => void;
    callback(null, "127.0.0.1", 4);
  }) as never);
  for (const transport of [net, tls] as const) {
    const original = transport.connect.bind(transport) as (...args: unknown[]) => net.Socket;
    vi.spyOn(transport, "connect").mockImplementation(((options: { host?: string; port?: number }, ...rest: unknown[]) => {
      dialled.push(String(options.host));
      return original({ ...options, host: "127.0.0.1", port: closedPort, servername: undefined }, ...rest);
    }) as never);
  }
}

it("Test connection dials the address that was checked, not a second answer", async () => {
  rebindingDns();
  const result = await testImapConnection(
    { host: "rebind.example.com", port: 993, security: "tls", user: "someone@example.com", password: "pw", emailAddress: "someone@example.com" },
    { env: {} },
  );
  expect(result.ok).toBe(false);
  expect(dialled.length).toBeGreaterThan(0);
  expect(dialled.every((host) => host === PUBLIC)).toBe(true);
  expect(lookups).toEqual(["rebind.example.com"]);
});

it("a stored account is re-checked when the sync connects: a name now pointing inside is refused before any dial", async () => {
  rebindingDns();
  const account = {
    id: "00000000-0000-4000-8000-000000000001",
    imapHost: "rebind.example.com",
    imapPort: 993,
    imapSecurity: "tls",
    imapUser: "someone@example.com",
    authKind: "password",
    encryptedPassword: encryptSecret("pw"),
  } as MailAccountRow;
  // First connection: the check sees the public answer and the socket dials it.
  await expect(openAccountConnection(account, { env: {}, timeouts: { connectMs: 2_000 } })).rejects.toBeTruthy();
  expect(dialled).toEqual([PUBLIC]);
  // Later (the name has been rebound): refused at the check, nothing dialled.
  dialled = [];
  await expect(openAccountConnection(account, { env: {} })).rejects.toMatchObject({ name: "ForbiddenHostError", address: "127.0.0.1" });
  expect(dialled).toEqual([]);
});
