/**
 * `npm run worker`: compiles scripts/worker.ts into .build/ and runs it with plain node and the worker's
 * V8 flags (scripts/worker-process.mjs). This launcher only builds and waits: the work, and the memory,
 * are the child's. SIGINT/SIGTERM are passed on so the worker finishes its steps in flight.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { BUILD_DIR, WORKER_NODE_FLAGS, buildEntry } from "./worker-process.mjs";

const entry = path.join(import.meta.dirname, "worker.ts");
let outfile;
try {
  outfile = await buildEntry(entry, path.join(BUILD_DIR, "worker.mjs"));
  // esbuild's compiler service would otherwise stay resident beside the worker for nothing.
  await (await import("esbuild")).stop();
} catch (error) {
  console.error(`The worker could not be compiled: ${error.message}`);
  process.exit(1);
}

const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, outfile, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.once("error", (error) => {
  console.error(`The worker could not start: ${error.message}`);
  process.exit(1);
});
child.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1)));
