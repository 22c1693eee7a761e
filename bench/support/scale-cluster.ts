import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { findPostgresBin } from "@/tests/support/postgres";

/**
 * A Postgres cluster for the scale benchmarks that outlives one run: its data directory stays under
 * /tmp (THREADLINE_SCALE_DIR, default /tmp/threadline-scale/pg) so the million generated messages are
 * built once and re-measured in seconds. Unlike tests/support/postgres.ts it is never swept; delete the
 * directory (or pass --fresh) to rebuild. Stopped at the end of each run, started again on the next.
 */
export type ScaleCluster = { dir: string; port: number; url(database?: string): string; stop(): void };

export const SCALE_ROOT = process.env.THREADLINE_SCALE_DIR ?? "/tmp/threadline-scale";

export async function openScaleCluster(options: { name: string; fresh?: boolean; settings?: string[] }): Promise<ScaleCluster> {
  const bin = findPostgresBin();
  const dir = path.join(SCALE_ROOT, options.name);
  const dataDir = path.join(dir, "data");
  if (options.fresh && fs.existsSync(dir)) {
    if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) run(bin, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"], true);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(SCALE_ROOT, { recursive: true });
  const owner = serverOwner();
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { mode: 0o700 });
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    run(bin, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  }
  // A run that was killed leaves its server running: stop it, then start with this run's settings.
  if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) run(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"], true);
  const port = await freePort();
  const settings = [
    "-c listen_addresses=127.0.0.1",
    `-p ${port}`,
    `-k ${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=100",
    "-c max_wal_size=4GB",
    ...(options.settings ?? []),
  ].join(" ");
  run(bin, "pg_ctl", ["-D", dataDir, "-l", path.join(dir, "postgres.log"), "-w", "-t", "120", "-o", settings, "start"]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    run(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"], true);
  };
  process.once("exit", stop);
  return { dir, port, url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`, stop };
}

function run(bin: string, tool: string, args: string[], allowFailure = false) {
  const executable = path.join(bin, tool);
  const owner = serverOwner();
  const [command, argv] = owner ? ["runuser", ["-u", "postgres", "--", executable, ...args]] : [executable, args];
  const result = spawnSync(command, argv, { encoding: "utf8", cwd: os.tmpdir() });
  if (result.status !== 0 && !allowFailure) throw new Error(`${tool} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
}

function serverOwner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
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
