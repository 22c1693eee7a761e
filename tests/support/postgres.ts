import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A throwaway PostgreSQL cluster in /tmp, reachable over TCP on 127.0.0.1 as superuser `postgres`, trust auth. */
export type PostgresCluster = {
  port: number;
  dir: string;
  url(database?: string): string;
  stop(): Promise<void>;
  /** For `process.on("exit")`, where nothing asynchronous can run. */
  stopSync(): void;
};

const DIR_PREFIX = "threadline-pg-";
const OWNER_FILE = "owner.pid";

/**
 * initdb + pg_ctl start (~0.5 s). Runs the server as user `postgres` when we are root (initdb refuses
 * root), as ourselves otherwise. Durability is off: the cluster lives for one test run.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  sweepStaleClusters(bin);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  const owner = serverOwner();
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  fs.chmodSync(dir, 0o700);
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");

  try {
    run(bin, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        "-c listen_addresses=127.0.0.1",
        `-p ${port}`,
        `-k ${dir}`,
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=300",
      ].join(" ");
      const started = run(bin, "pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options, "start"], { allowFailure: true });
      if (started.ok) break;
      // Another process may have taken the port between our probe and the start; try a new one.
      if (attempt >= 3) throw new Error(`pg_ctl start failed:\n${started.output}\n${readTail(logFile)}`);
    }
    return clusterHandle(bin, dir, dataDir, port);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The server binaries (initdb, pg_ctl), Postgres 15 preferred; THREADLINE_PG_BIN overrides. */
export function findPostgresBin(env: Record<string, string | undefined> = process.env, installRoot = "/usr/lib/postgresql"): string {
  const candidates = [env.THREADLINE_PG_BIN, path.join(installRoot, "15/bin")];
  if (fs.existsSync(installRoot)) {
    const versions = fs.readdirSync(installRoot).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(installRoot, v, "bin")));
  }
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new Error(
    "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/<version>/bin. " +
      "The tests start their own throwaway Postgres 15: install it with `apt-get install postgresql` " +
      "(`npm test` does this on Debian when run as root) or point THREADLINE_PG_BIN at the bin directory.",
  );
}

function clusterHandle(bin: string, dir: string, dataDir: string, port: number): PostgresCluster {
  let stopped = false;
  const stopSync = (mode: "fast" | "immediate") => {
    if (stopped) return;
    stopped = true;
    run(bin, "pg_ctl", ["-D", dataDir, "-m", mode, "-w", "-t", "30", "stop"], { allowFailure: true });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return {
    port,
    dir,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => stopSync("fast"),
    stopSync: () => stopSync("immediate"),
  };
}

/** Clusters left by a run that was killed (SIGKILL, OOM): their owner pid is gone. */
function sweepStaleClusters(bin: string) {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(tmp, name);
    let owner = 0;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), "utf8"));
    } catch {
      continue;
    }
    if (!owner || isAlive(owner)) continue;
    const dataDir = path.join(dir, "data");
    if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
      run(bin, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"], { allowFailure: true });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(bin: string, tool: string, args: string[], options: { allowFailure?: boolean } = {}) {
  const executable = path.join(bin, tool);
  const owner = serverOwner();
  const [command, argv] = owner ? ["runuser", ["-u", "postgres", "--", executable, ...args]] : [executable, args];
  const result = spawnSync(command, argv, { encoding: "utf8", cwd: os.tmpdir() });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
  const ok = result.status === 0;
  if (!ok && !options.allowFailure) throw new Error(`${tool} ${args.join(" ")} failed:\n${output}`);
  return { ok, output };
}

let cachedOwner: { uid: number; gid: number } | null | undefined;

/** When running as root the server runs as the `postgres` system user (Debian's package creates it). */
function serverOwner(): { uid: number; gid: number } | null {
  if (cachedOwner !== undefined) return cachedOwner;
  if (process.getuid?.() !== 0) return (cachedOwner = null);
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return (cachedOwner = { uid, gid });
  } catch {
    throw new Error("Running as root, but there is no `postgres` user to run the test cluster as (apt-get install postgresql creates it).");
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "";
  }
}
