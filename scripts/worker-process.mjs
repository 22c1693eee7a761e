/**
 * How the background worker's process runs, in one place for `npm run worker` (scripts/start-worker.mjs)
 * and for the benchmark and tests that measure the sync in a child process (bench/scale-sync.ts,
 * tests/support/child-command.ts), so they measure the product's own process.
 *
 * - Compiled once by esbuild into .build/ and run by plain node: under tsx, its loader thread and
 *   on-the-fly transforms cost ~85 MB resident before any work (165 MB vs 79 MB measured).
 * - V8 heap flags: see WORKER_NODE_FLAGS.
 */
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Where compiled entry points go: git-ignored (so Tailwind skips it), ignored by ESLint. */
export const BUILD_DIR = path.join(root, ".build");

/**
 * V8 flags of the worker process, chosen with `npm run bench:scale-sync` (bench/scale-sync.ts).
 * The sync's live heap is ~40 MB, but V8 lets the old space grow past the live set by a factor it
 * scales with the heap limit (64-bit: ~1.3x at a 256 MB limit up to 4x at 2 GB and above); with the
 * default limit here (4 GB) garbage piled up to ~150 MB before a full collection.
 * Measured at 10,000 messages + a 25 MB attachment (sync CPU ms/message, peak RSS; shared 2 cores):
 *   no flags                          1.36-1.56  272-316 MB   --max-old-space-size=2048  1.62  319 MB
 *   --max-old-space-size=1536         1.35-1.92  215-238 MB   --max-old-space-size=1024  1.77  223 MB
 *   --max-old-space-size=256          1.87-1.98  217-220 MB   + --max-semi-space-size=2  1.75-1.91  190 MB
 *   --max-semi-space-size=4 or 8      1.61-1.63  268-311 MB
 * In paired runs 1536 costs ~15-25% more sync CPU than no flags (~5-10% of sync + Postgres); smaller
 * limits save little more memory for more CPU. At 100,000 messages: 248-251 MB (408 MB under tsx
 * without flags). The limit stays far above anything a message needs (the hostile-mail test, a 100 MB
 * attachment and a 10,000-part message included, runs under these flags): never an out-of-memory crash.
 */
export const WORKER_NODE_FLAGS = ["--max-old-space-size=1536"];

/**
 * Bundles a TypeScript entry point (the `@/` alias from tsconfig.json) into one ES module; npm packages
 * stay external and load from node_modules at run time, as under tsx. Returns the output file.
 */
export async function buildEntry(entry, outfile) {
  const esbuild = await import("esbuild");
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  return outfile;
}
