import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectImap, closeImap, type ImapEndpoint } from "@/lib/imap/connect-imap";
import { ImapError } from "@/lib/imap/imap-error";
import { withImapTimeout } from "@/lib/imap/with-imap-timeout";
import { type DovecotServer, startDovecot } from "../support/dovecot";

let server: DovecotServer;
let oauthServer: DovecotServer;
let introspection: http.Server;
let argsDir: string;
const GOOD_TOKEN = "good-token-123";

beforeAll(async () => {
  introspection = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const token = new URLSearchParams(body).get("token");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(token === GOOD_TOKEN ? { active: true, username: "alice@example.test" } : { active: false }));
    });
  });
  await new Promise<void>((resolve) => introspection.listen(0, "127.0.0.1", resolve));
  const port = (introspection.address() as net.AddressInfo).port;
  argsDir = fs.mkdtempSync("/tmp/threadline-oauth2-");
  const argsFile = path.join(argsDir, "oauth2.conf");
  fs.writeFileSync(
    argsFile,
    [
      "introspection_mode = post",
      `introspection_url = http://127.0.0.1:${port}/introspect`,
      "username_attribute = username",
      "active_attribute = active",
      "active_value = true",
      "force_introspection = yes",
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  [server, oauthServer] = await Promise.all([
    startDovecot(),
    // XOAUTH2 only (imapflow prefers OAUTHBEARER whenever it is offered).
    startDovecot({ authMechanisms: ["plain", "xoauth2"], extraPassdbs: [`passdb {\n  driver = oauth2\n  mechanisms = xoauth2\n  args = ${argsFile}\n}`] }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), oauthServer?.stop(), new Promise((resolve) => introspection?.close(resolve))]);
  if (argsDir) fs.rmSync(argsDir, { recursive: true, force: true });
});

const alice = () => ({ user: server.users[0]!.user, password: server.users[0]!.password });

function endpoint(overrides: Partial<ImapEndpoint> = {}): ImapEndpoint {
  return { host: server.host, port: server.port, security: "none", user: alice().user, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<ImapError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ImapError);
    return error as ImapError;
  }
  throw new Error("expected a failure");
}

describe("connectImap", () => {
  it("connects over implicit TLS, STARTTLS and plain IMAP", async () => {
    const credentials = { kind: "password" as const, password: alice().password };
    const tls = await connectImap(endpoint({ port: server.tlsPort, security: "tls" }), { credentials, tls: { rejectUnauthorized: false } });
    const starttls = await connectImap(endpoint({ security: "starttls" }), { credentials, tls: { rejectUnauthorized: false } });
    const plain = await connectImap(endpoint(), { credentials });
    expect([tls.secureConnection, starttls.secureConnection, plain.secureConnection]).toEqual([true, true, false]);
    expect(plain.capabilities.has("CONDSTORE")).toBe(true);
    expect(plain.enabled.has("QRESYNC")).toBe(true);
    await Promise.all([closeImap(tls), closeImap(starttls), closeImap(plain)]);
  });

  it("refuses an unverifiable certificate unless told otherwise, without retrying", async () => {
    const error = await failure(connectImap(endpoint({ port: server.tlsPort, security: "tls" }), { credentials: { kind: "password", password: alice().password } }));
    expect(error.kind).toBe("network");
    expect(error.retryable).toBe(false);
  });

  it("a wrong password is an auth failure that never echoes the secret", async () => {
    const secret = "wrong-Pa55word-xyz";
    const error = await failure(connectImap(endpoint(), { credentials: { kind: "password", password: secret } }));
    expect(error.kind).toBe("auth");
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secret);
  });

  it("logs in with an XOAUTH2 access token, and a rejected token is an auth failure", async () => {
    const ok = await connectImap(
      { host: oauthServer.host, port: oauthServer.port, security: "none", user: "alice@example.test" },
      { credentials: { kind: "oauth2", accessToken: GOOD_TOKEN } },
    );
    expect(ok.authenticated).toBeTruthy();
    await closeImap(ok);
    const error = await failure(
      connectImap({ host: oauthServer.host, port: oauthServer.port, security: "none", user: "alice@example.test" }, { credentials: { kind: "oauth2", accessToken: "revoked" } }),
    );
    expect(error.kind).toBe("auth");
    expect(error.message).not.toContain("revoked");
  });

  it("a closed port is a retryable network fault", async () => {
    const port = await closedPort();
    const error = await failure(connectImap(endpoint({ port }), { credentials: { kind: "password", password: "x" } }));
    expect(error.kind).toBe("network");
    expect(error.retryable).toBe(true);
  });

  it("a server that never greets times out", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      const error = await failure(
        connectImap(endpoint({ port: (silent.address() as net.AddressInfo).port }), { credentials: { kind: "password", password: "x" }, timeouts: { greetingMs: 300 } }),
      );
      expect(error.kind).toBe("timeout");
      expect(error.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it("a command that never completes times out and closes the connection", async () => {
    const client = await connectImap(endpoint(), { credentials: { kind: "password", password: alice().password } });
    const error = await failure(withImapTimeout(client, "NOOP", () => new Promise(() => {}), 100));
    expect(error.kind).toBe("timeout");
    expect(client.usable).toBe(false);
  });
});

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
