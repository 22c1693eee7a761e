import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(repoRoot, "node_modules/.bin/next");
// Sources whose change makes the production build stale.
const SOURCES = ["app", "components", "lib", "db", "drizzle", "inngest", "auth.ts", "instrumentation.ts", "next.config.ts", "postcss.config.mjs", "package-lock.json"];

/**
 * `next build`, unless .next already holds a production build newer than every source file
 * (several e2e files in one run share it). Run node_modules/.bin/next directly: killing an npx
 * wrapper leaves next-server behind.
 */
export function ensureProductionBuild() {
  const buildId = path.join(repoRoot, ".next/BUILD_ID");
  if (fs.existsSync(buildId) && newestSource() < fs.statSync(buildId).mtimeMs) return;
  const started = Date.now();
  // The build never opens the database; a throwaway data dir keeps any accident out of the repo.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-build-"));
  const result = spawnSync(nextBin, ["build"], {
    cwd: repoRoot,
    env: { ...baseEnv(), THREADLINE_DATA_DIR: dataDir },
    encoding: "utf8",
    timeout: 600_000,
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  console.log(`next build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export type NextServer = { url: string; dataDir: string; logs: () => string; stop: () => Promise<void> };

/**
 * `next start` on a free loopback port with a fresh embedded data dir in /tmp, removed on stop; or
 * with `options.dataDir`, that one, kept (a restart on the same embedded database).
 */
export async function startNextServer(env: Record<string, string> = {}, options: { dataDir?: string } = {}): Promise<NextServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "threadline-e2e-"));
  let output = "";
  const child: ChildProcess = spawn(nextBin, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: repoRoot,
    env: {
      ...baseEnv(),
      NODE_ENV: "production",
      THREADLINE_DATA_DIR: dataDir,
      AUTH_SECRET: crypto.randomBytes(33).toString("base64"),
      AUTH_TRUST_HOST: "true",
      THREADLINE_LOCAL_SIGNIN: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://localhost:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => (clearTimeout(force), resolve()));
      });
    }
    if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/login`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, dataDir, logs: () => output, stop };
}

function baseEnv(): NodeJS.ProcessEnv {
  // The server uses its own embedded database, not the test run's Postgres; next sets NODE_ENV itself.
  const { DATABASE_URL: _database, NODE_ENV: _nodeEnv, ...env } = process.env;
  return { ...env, NEXT_TELEMETRY_DISABLED: "1" } as unknown as NodeJS.ProcessEnv;
}

async function waitForHttp(url: string, child: ChildProcess, logs: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${logs()}`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not answer ${url} within 90 s:\n${logs()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function newestSource(): number {
  let newest = 0;
  const visit = (target: string) => {
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(target)) visit(path.join(target, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) visit(path.join(repoRoot, source));
  return newest;
}
