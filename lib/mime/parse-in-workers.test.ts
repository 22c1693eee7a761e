import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import { corpusDir, corpusSkipReason } from "@/tests/support/corpus";
import { closeParseWorkers, parseInWorkers, parseMode, parseWorkerCount } from "./parse-in-workers";
import { parseMessage } from "./parse-message";

const crlf = (lines: string[]) => Buffer.from(lines.join("\r\n"));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-parse-workers-"));
const saved = { count: process.env.THREADLINE_PARSE_WORKERS, file: process.env.THREADLINE_PARSE_WORKER_FILE };

function configurePool(count: number, file?: string) {
  process.env.THREADLINE_PARSE_WORKERS = String(count);
  if (file) process.env.THREADLINE_PARSE_WORKER_FILE = file;
  else delete process.env.THREADLINE_PARSE_WORKER_FILE;
}

/** A stand-in worker file: `body` runs in the worker. */
function fakeWorker(name: string, body: string): string {
  const file = path.join(scratch, `${name}.mjs`);
  fs.writeFileSync(file, `import { parentPort } from "node:worker_threads";\n${body}\n`);
  return file;
}

afterEach(async () => {
  await closeParseWorkers();
  vi.restoreAllMocks();
});

afterAll(() => {
  for (const [key, value] of [["THREADLINE_PARSE_WORKERS", saved.count], ["THREADLINE_PARSE_WORKER_FILE", saved.file]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  fs.rmSync(scratch, { recursive: true, force: true });
});

const samples: Buffer[] = [
  crlf([
    "From: =?utf-8?q?J=C3=BCrgen?= <Juergen@Example.COM>",
    "To: a@example.com, \"Smith, John\" <JOHN@example.com>",
    "Subject: =?UTF-8?B?w4RwZmVs?=",
    "Message-ID: <one@example.com>",
    "References: <zero@example.com>",
    "Date: Tue, 14 May 2001 10:00:00 -0700",
    "List-Unsubscribe: <mailto:u@example.com>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hello, see attached.",
    "--b",
    "Content-Type: application/octet-stream",
    'Content-Disposition: attachment; filename="small.bin"',
    "Content-Transfer-Encoding: base64",
    "",
    crypto.randomBytes(5000).toString("base64"),
    "--b--",
    "",
  ]),
  Buffer.concat([Buffer.from("From: Caf\xe9 <cafe@example.com>\r\nSubject: Caf\xe9\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n", "latin1"), Buffer.from("Bonjour\r\n")]),
  crlf(["Subject: only a subject", "", ""]),
  Buffer.from("just some text, no headers at all\n"),
  Buffer.alloc(0),
];

describe("parse in worker threads", () => {
  test("gives exactly what parsing in this thread gives, and really uses workers", async () => {
    configurePool(2);
    const pooled = await Promise.all(samples.map((s) => parseInWorkers(s)));
    expect(parseMode()).toBe("workers");
    for (const [i, source] of samples.entries()) expect(pooled[i]).toEqual(await parseMessage(source));
    // Attachment contents come back as real Buffers.
    expect(Buffer.isBuffer(pooled[0]!.attachments[0]!.content)).toBe(true);
  });

  test.skipIf(!corpusDir)("the hostile MIME corpus parses the same in workers", { timeout: 240_000 }, async () => {
    configurePool(2);
    const dir = path.join(corpusDir!, "mime");
    const sources = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort().map((f) => fs.readFileSync(path.join(dir, f)));
    expect(sources.length).toBeGreaterThan(100);
    const pooled = await Promise.all(sources.map((s) => parseInWorkers(s)));
    expect(parseMode()).toBe("workers");
    for (const [i, source] of sources.entries()) expect(pooled[i]).toEqual(await parseMessage(source));
  });
  if (!corpusDir) console.warn(corpusSkipReason);

  test("a worker that never answers is abandoned after the timeout; the message is flagged, not lost", { timeout: 30_000 }, async () => {
    configurePool(1, fakeWorker("silent", `parentPort.postMessage({ ready: true }); parentPort.on("message", () => {});`));
    const parsed = await parseInWorkers(samples[0]!, { timeoutMs: 300 });
    expect(parsed.parseError).toMatch(/did not finish within 300 ms/);
  });

  test("a worker that dies on a message flags that message and carries on with the others", { timeout: 30_000 }, async () => {
    configurePool(1, fakeWorker("crashing", `parentPort.postMessage({ ready: true }); parentPort.on("message", () => process.exit(3));`));
    const parsed = await Promise.all([parseInWorkers(samples[0]!), parseInWorkers(samples[1]!)]);
    for (const p of parsed) expect(p.parseError).toMatch(/exited \(code 3\)/);
  });

  test("falls back to this thread when workers are off, the file is missing, or a worker cannot start", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const [count, file] of [[0], [1, path.join(scratch, "missing.mjs")], [1, fakeWorker("broken", `throw new Error("cannot load");`)]] as const) {
      configurePool(count, file);
      const parsed = await Promise.all(samples.map((s) => parseInWorkers(s)));
      expect(parseMode()).toBe("in-thread");
      for (const [i, source] of samples.entries()) expect(parsed[i]).toEqual(await parseMessage(source));
      await closeParseWorkers();
    }
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Parsing mail in the main thread: a parse worker did not start: cannot load/));
  });

  test("worker count: configured, else none below 3 cores and at most 2", () => {
    expect(parseWorkerCount({ THREADLINE_PARSE_WORKERS: "3" }, 2)).toBe(3);
    expect(parseWorkerCount({ THREADLINE_PARSE_WORKERS: "0" }, 16)).toBe(0);
    expect(parseWorkerCount({ THREADLINE_PARSE_WORKERS: "many" }, 16)).toBe(0);
    expect([1, 2, 3, 4, 8].map((cores) => parseWorkerCount({}, cores))).toEqual([0, 0, 1, 2, 2]);
  });
});
