import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { BUILD_DIR, WORKER_NODE_FLAGS, buildEntry } from "@/scripts/worker-process.mjs";

/**
 * `node` arguments that run a TypeScript entry point in a child process the way `npm run worker` runs
 * the worker (scripts/worker-process.mjs): compiled by esbuild, plain node, the worker's V8 flags, so a
 * sync child's memory and failures are the product's. Else (no esbuild) tsx, same flags.
 * `cleanup()` removes the bundle.
 */
export async function childCommand(entry: string): Promise<{ args: string[]; cleanup(): void }> {
  // Inside the repository, so the bundle's npm imports resolve from node_modules.
  const dir = path.join(BUILD_DIR, "tests", crypto.randomUUID());
  try {
    const outfile = await buildEntry(entry, path.join(dir, "child.mjs"));
    return { args: [...WORKER_NODE_FLAGS, outfile], cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return { args: [...WORKER_NODE_FLAGS, "--import", "tsx", entry], cleanup: () => {} };
  }
}
