// A parse worker (see lib/mime/parse-in-workers.ts): runs mailparser on sources sent by the main
// thread, one at a time (so a parse's timeout measures its own work, as in-thread), and sends back
// the raw result. Plain JavaScript: loaded by Node itself, whatever runs the main thread.
import { parentPort } from "node:worker_threads";
import { runMailparser } from "./run-mailparser.mjs";

const queue = [];
let busy = false;

parentPort.on("message", (job) => {
  queue.push(job);
  if (!busy) void drain();
});
parentPort.postMessage({ ready: true });

async function drain() {
  busy = true;
  while (queue.length) {
    const { id, source, settings } = queue.shift();
    const raw = await runMailparser(Buffer.from(source.buffer, source.byteOffset, source.byteLength), settings);
    // Errors cross the thread boundary as Error objects (their message is all that is used).
    if (raw.error && !(raw.error instanceof Error)) raw.error = new Error(String(raw.error));
    try {
      parentPort.postMessage({ id, raw }, ownedBuffers(raw.attachments.map((a) => a.content)));
    } catch (error) {
      // A header value structured clone refuses: the main thread parses this one itself.
      parentPort.postMessage({ id, failed: String(error?.message ?? error) });
    }
  }
  busy = false;
}

// Attachment contents that own their whole ArrayBuffer move to the main thread without a copy.
function ownedBuffers(buffers) {
  const out = new Set();
  for (const b of buffers) if (b && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) out.add(b.buffer);
  return [...out];
}
