import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type DovecotUser = { user: string; password: string };

export type StartDovecotOptions = {
  // Defaults to one user, alice@example.test / alice-password.
  users?: DovecotUser[];
  // false: advertise everything except QRESYNC, so clients take the UID-set comparison path.
  qresync?: boolean;
  // false: advertise neither CONDSTORE nor QRESYNC (no HIGHESTMODSEQ; flags must be re-read).
  condstore?: boolean;
  // "maildir" (default) or "sdbox" (faster APPEND, for benchmarks).
  storage?: "maildir" | "sdbox";
  authMechanisms?: string[];
  // Extra passdb blocks (e.g. an oauth2 passdb), placed before the passwd-file one.
  extraPassdbs?: string[];
  // Appended verbatim to dovecot.conf: the escape hatch for extensions (oauth2 args, plugins...).
  extraConfig?: string;
  maxUserIpConnections?: number;
};

export type DovecotServer = {
  host: string;
  // Plain IMAP, STARTTLS available.
  port: number;
  // Implicit TLS with a self-signed certificate (clients must pass rejectUnauthorized: false).
  tlsPort: number;
  users: DovecotUser[];
  dir: string;
  configPath: string;
  // Mail root of a user (the maildir or sdbox root), for direct inspection or fast seeding.
  mailDir(user?: string): string;
  storage: "maildir" | "sdbox";
  // Runs `doveadm -c <config> ...` and returns stdout.
  doveadm(args: string[]): Promise<string>;
  stop(): Promise<void>;
};

export const DEFAULT_USER: DovecotUser = { user: "alice@example.test", password: "alice-password" };

const BASE_CAPABILITIES = [
  "IMAP4rev1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE", "IDLE", "SORT", "SORT=DISPLAY", "THREAD=REFERENCES",
  "THREAD=REFS", "THREAD=ORDEREDSUBJECT", "MULTIAPPEND", "URL-PARTIAL", "CATENATE", "UNSELECT", "CHILDREN",
  "NAMESPACE", "UIDPLUS", "LIST-EXTENDED", "I18NLEVEL=1", "ESEARCH", "ESORT", "SEARCHRES", "WITHIN",
  "CONTEXT=SEARCH", "LIST-STATUS", "BINARY", "MOVE", "SNIPPET=FUZZY", "PREVIEW=FUZZY", "PREVIEW",
  "STATUS=SIZE", "SAVEDATE", "LITERAL+", "NOTIFY", "SPECIAL-USE",
];

/** A private Dovecot on free loopback ports, its state, logs and mail under one temp dir. */
export async function startDovecot(options: StartDovecotOptions = {}): Promise<DovecotServer> {
  const users = options.users ?? [DEFAULT_USER];
  const storage = options.storage ?? "maildir";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-dovecot-"));
  const baseDir = path.join(dir, "run");
  fs.rmSync(baseDir, { recursive: true, force: true });
  for (const sub of ["run", "state", "mail"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.chmodSync(dir, 0o755);
  // Mail is owned by the unprivileged mail user Dovecot switches to.
  fs.chmodSync(path.join(dir, "mail"), 0o777);

  const passwdFile = path.join(dir, "passwd");
  fs.writeFileSync(passwdFile, users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(""), { mode: 0o644 });
  const cert = selfSignedCertificate();
  const [port, tlsPort] = await freePorts(2);
  const configPath = path.join(dir, "dovecot.conf");
  fs.writeFileSync(configPath, renderConfig({ ...options, dir, baseDir, passwdFile, cert, port, tlsPort, storage }));

  const master = launchMaster(configPath, path.join(dir, "dovecot.log"));
  const server: DovecotServer = {
    host: "127.0.0.1",
    port,
    tlsPort,
    users,
    dir,
    configPath,
    storage,
    mailDir: (user = users[0]!.user) => path.join(dir, "mail", user, storage === "sdbox" ? "sdbox" : "Maildir"),
    doveadm: async (args) => (await run("doveadm", ["-c", configPath, ...args])).stdout,
    stop: () => stopMaster(master, dir),
  };
  try {
    await Promise.race([master.failed, Promise.all([waitForPort(port), waitForPort(tlsPort)])]);
  } catch (error) {
    const log = readIfExists(path.join(dir, "dovecot.log"));
    await server.stop();
    throw new Error(`Dovecot did not start: ${(error as Error).message}\n${log}`);
  }
  return server;
}

// Foreground mode keeps the master our child (so it is reaped, not left a zombie) and lets stop()
// kill it outright: a graceful SIGTERM takes Dovecot ~2.6 s, SIGKILL takes its children down in <100 ms.
function launchMaster(configPath: string, logPath: string) {
  const child = spawn("dovecot", ["-F", "-c", configPath], { stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.once("error", () => {});
  const failed = exited.then((code) => {
    throw new Error(`dovecot exited with ${code}: ${readIfExists(logPath)}`);
  });
  failed.catch(() => {});
  return { child, exited, failed };
}

async function stopMaster(master: ReturnType<typeof launchMaster>, dir: string) {
  if (master.child.exitCode === null && master.child.signalCode === null) {
    master.child.kill("SIGKILL");
    await master.exited;
  }
  // Children notice the master's death through its pipe; give them a moment to drop the mail files.
  await sleep(20);
  fs.rmSync(dir, { recursive: true, force: true });
}

type RenderInput = StartDovecotOptions & {
  dir: string;
  baseDir: string;
  passwdFile: string;
  cert: { certPath: string; keyPath: string };
  port: number;
  tlsPort: number;
  storage: "maildir" | "sdbox";
};

function renderConfig(input: RenderInput): string {
  const mailLocation = input.storage === "sdbox" ? "sdbox:~/sdbox" : "maildir:~/Maildir";
  const capability = capabilityOverride(input);
  const mailboxes = [
    ["Sent", "\\Sent"],
    ["Drafts", "\\Drafts"],
    ["Trash", "\\Trash"],
    ["Junk", "\\Junk"],
    ["Archive", "\\Archive"],
  ]
    .map(([name, use]) => `  mailbox ${name} {\n    special_use = ${use}\n    auto = subscribe\n  }`)
    .join("\n");
  return `# Generated by tests/support/dovecot.ts
instance_name = threadline-${path.basename(input.dir)}
base_dir = ${input.baseDir}
state_dir = ${path.join(input.dir, "state")}
log_path = ${path.join(input.dir, "dovecot.log")}
info_log_path = ${path.join(input.dir, "dovecot.log")}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${input.cert.certPath}
ssl_key = <${input.cert.keyPath}
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = no
auth_mechanisms = ${(input.authMechanisms ?? ["plain", "login", "xoauth2", "oauthbearer"]).join(" ")}
auth_failure_delay = 0
mail_location = ${mailLocation}
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
first_valid_gid = 1
mail_fsync = never
default_login_user = dovenull
default_internal_user = dovecot

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${input.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${input.tlsPort}
    ssl = yes
  }
  # Fresh processes per login would cost ~10 ms each; keep a few around.
  process_min_avail = 1
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
protocol imap {
  mail_max_userip_connections = ${input.maxUserIpConnections ?? 100}
${capability ? `  imap_capability = ${capability}\n` : ""}}
namespace inbox {
  inbox = yes
  separator = /
${mailboxes}
}
${(input.extraPassdbs ?? []).join("\n")}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${input.passwdFile}
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${path.join(input.dir, "mail")}/%u
}
${input.extraConfig ?? ""}
`;
}

// Dovecot has no switch to turn one extension off, but the capability list it advertises (and
// imapflow trusts before ENABLE) can be replaced wholesale.
function capabilityOverride(input: StartDovecotOptions): string | null {
  if (input.qresync !== false && input.condstore !== false) return null;
  const caps = [...BASE_CAPABILITIES];
  if (input.condstore !== false) caps.push("CONDSTORE");
  return caps.join(" ");
}

// One self-signed certificate for every instance: generating an RSA key costs ~100 ms.
function selfSignedCertificate(): { certPath: string; keyPath: string } {
  const dir = path.join(os.tmpdir(), "threadline-dovecot-cert");
  const certPath = path.join(dir, "cert.pem");
  const keyPath = path.join(dir, "key.pem");
  if (fs.existsSync(certPath) && fs.existsSync(keyPath)) return { certPath, keyPath };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-cert-"));
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes",
    "-keyout", path.join(tmp, "key.pem"), "-out", path.join(tmp, "cert.pem"),
    "-days", "3650", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ], { stdio: "ignore" });
  fs.chmodSync(tmp, 0o755);
  fs.chmodSync(path.join(tmp, "key.pem"), 0o644);
  try {
    // Publish atomically so parallel test files never read a half-written pair.
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { certPath, keyPath };
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function waitForPort(port: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await sleep(5);
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
