// Runs after `npm install` / `npm ci` (package.json "postinstall"). postgres.js 3.4.9 has a write
// scheduler bug that shows when Postgres restarts or a connection drops mid-query
// (porsager/postgres#1066, #1154, #1208; unmerged fixes #1168, #1176, #1209):
//  - closed()/terminate() cancel the pending setImmediate write but leave `nextWriteTimer` and the
//    buffered `chunk` set: the reconnected connection never flushes small writes again, or sends the
//    dead connection's stale bytes in front of the next query ("Failed query" on every retry);
//  - nextWrite() can run with `socket === null` and throws from a timer: an uncaught TypeError that
//    kills the process (found by tests/reliability/postgres-restart.test.ts).
// The guard below is the upstream proposal: drop the stale buffer on close, and reject the query
// with CONNECTION_CLOSED instead of throwing when the socket is gone. Idempotent; says so and leaves
// the file alone when the code no longer looks like 3.4.9 (check whether upstream fixed it).
import fs from "node:fs";
import path from "node:path";

const MARK = "threadline-patch";
const root = path.join(import.meta.dirname, "..", "node_modules", "postgres");
const files = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));

for (const file of files) {
  let text = fs.readFileSync(file, "utf8");
  if (text.includes(MARK)) continue;
  const write = "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)";
  const clear = "    clearImmediate(nextWriteTimer)\n";
  if (!text.includes(write) || text.split(clear).length !== 3) {
    console.warn(`patch-postgres-js: ${path.relative(process.cwd(), file)} does not look like postgres.js 3.4.9; not patched (has upstream fixed #1208?)`);
    continue;
  }
  text = text.replace(
    write,
    `  function nextWrite(fn) {
    // ${MARK}: the socket is gone (closed before this deferred write ran): reject, never throw.
    if (!socket) {
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
  );
  text = text.split(clear).join(`${clear}    chunk = nextWriteTimer = null // ${MARK}: nothing buffered for a dead socket survives it\n`);
  fs.writeFileSync(file, text);
}
