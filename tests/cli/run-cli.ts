import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// Runs the operator CLI the way operators do (`npm run cli -- <command>`) in a child process.
export const repoRoot = process.cwd();

export type CliResult = { code: number; stdout: string; stderr: string; json: unknown };
/** Environment overrides for the child; `undefined` removes a variable (e.g. DATABASE_URL). */
export type CliEnv = Record<string, string | undefined>;

export function runCli(args: string[], env: CliEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    // --silent: without it npm prints its "> threadline cli" banner on stdout, before the JSON.
    execFile("npm", ["run", "--silent", "cli", "--", ...args], { cwd: repoRoot, env: childEnv(env), timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = { unparsable: stdout, stderr };
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

export function migrationCount(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(repoRoot, "drizzle/meta/_journal.json"), "utf8")) as { entries: unknown[] };
  return journal.entries.length;
}

/** Starts tests/cli/hold-data-dir.ts, which opens the embedded database like the app; resolves with its pid once open. */
export async function holdDataDir(env: CliEnv): Promise<{ pid: number; release(): Promise<void>; kill(): void }> {
  const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["tests/cli/hold-data-dir.ts"], { cwd: repoRoot, env: childEnv(env) });
  const pid = await waitForReady(child);
  return {
    pid,
    release: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      await exited;
    },
    kill: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

function childEnv(overrides: CliEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function waitForReady(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /ready (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => reject(new Error(`the holder process exited with ${code}: ${output}`)));
  });
}
