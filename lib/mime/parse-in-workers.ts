import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { type ParseMessageOptions, parseMessage } from "./parse-message";
import type { ParsedMessage } from "./parsed-message";
import { type MailparserSettings, type RawParse, runMailparser } from "./run-mailparser.mjs";

/**
 * parseMessage with mailparser (the expensive part) running in a small pool of worker threads, so
 * the calling thread keeps fetching and writing while messages are parsed. Same result as
 * parseMessage; same guarantees (never throws, a parse that runs past its timeout is abandoned; here
 * a worker stuck in synchronous code is terminated too, which in-thread parsing cannot do).
 *
 * Falls back to parsing in this thread, chosen automatically: when THREADLINE_PARSE_WORKERS=0, when
 * the worker file (lib/mime/parse-worker.mjs, found from the working directory like drizzle/) is
 * not there, or when a worker cannot start. The pool is shared by the whole process, starts on
 * first use, and its threads never keep the process alive while idle. Callers may submit a whole
 * batch at once: in-thread parses still run one after another, as parseMessage in a loop would.
 */
export function parseInWorkers(source: Buffer, options: ParseMessageOptions = {}): Promise<ParsedMessage> {
  const pool = sharedPool();
  return parseMessage(source, options, pool ? (s, settings) => pool.run(s, settings) : inThread);
}

/** Terminates the shared pool's threads (tests, benchmarks, shutdown); the next parse starts new ones. */
export async function closeParseWorkers(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/**
 * Threads the pool uses (0: parse in the calling thread): THREADLINE_PARSE_WORKERS, else one core is
 * left to the thread that fetches and writes and one to Postgres, so none below 3 cores. Measured on
 * 2 cores (bench/sync.ts): a worker costs ~25% more CPU per message (structured clone, a second heap)
 * and gains nothing there, both cores being busy already with this thread and Postgres.
 */
export function parseWorkerCount(env: Record<string, string | undefined> = process.env, cores = os.availableParallelism()): number {
  const configured = env.THREADLINE_PARSE_WORKERS;
  if (configured !== undefined && configured.trim() !== "") {
    const n = Number(configured);
    return Number.isInteger(n) && n >= 0 ? Math.min(n, 16) : 0;
  }
  return Math.max(0, Math.min(2, cores - 2));
}

/** How parsing runs right now: not yet decided, in worker threads, or in the calling thread. */
export function parseMode(): "unstarted" | "workers" | "in-thread" {
  if (shared === undefined) return "unstarted";
  return shared && !shared.isBroken() ? "workers" : "in-thread";
}

// After this long without work the threads are stopped (each holds its own heap).
const IDLE_MS = 30_000;
// A job's result may come its own timeout again (at most this) after it before its worker is presumed stuck.
const STUCK_GRACE_MS = 5_000;
// Jobs handed to one worker at once: the next is already there when one finishes.
const PER_WORKER = 2;

let shared: ParsePool | null | undefined;

function sharedPool(): ParsePool | null {
  if (shared !== undefined) return shared;
  const size = parseWorkerCount();
  const file = workerFile();
  shared = size > 0 && file ? new ParsePool(size, file) : null;
  return shared;
}

function workerFile(): string | null {
  const file = process.env.THREADLINE_PARSE_WORKER_FILE || path.join(/*turbopackIgnore: true*/ process.cwd(), "lib", "mime", "parse-worker.mjs");
  return fs.existsSync(file) ? file : null;
}

type Job = { id: number; source: Buffer; settings: MailparserSettings; resolve: (raw: RawParse) => void };
type Slot = { worker: Worker; ready: boolean; jobs: Job[]; watchdog: NodeJS.Timeout | null };

class ParsePool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private broken = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly size: number,
    private readonly file: string,
  ) {}

  isBroken(): boolean {
    return this.broken;
  }

  run(source: Buffer, settings: MailparserSettings): Promise<RawParse> {
    if (this.broken) return inThread(source, settings);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, source, settings, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    this.clearIdle();
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(slots.map((slot) => this.retire(slot, null)));
    for (const job of this.queue.splice(0)) job.resolve(await inThread(job.source, job.settings));
  }

  private pump() {
    if (this.broken) {
      for (const job of this.queue.splice(0)) void inThread(job.source, job.settings).then(job.resolve);
      return;
    }
    while (!this.broken && this.slots.size < this.size && this.queue.length > this.capacity()) this.spawn();
    for (const slot of this.slots) {
      while (slot.ready && slot.jobs.length < PER_WORKER && this.queue.length) this.send(slot, this.queue.shift()!);
    }
    this.updateIdle();
  }

  private capacity(): number {
    return this.slots.size * PER_WORKER - [...this.slots].reduce((sum, s) => sum + s.jobs.length, 0);
  }

  private spawn() {
    let worker: Worker;
    try {
      worker = new Worker(this.file);
    } catch (error) {
      this.fail(`cannot start a parse worker: ${(error as Error).message}`);
      return;
    }
    const slot: Slot = { worker, ready: false, jobs: [], watchdog: null };
    this.slots.add(slot);
    worker.on("message", (message: WorkerMessage) => this.receive(slot, message));
    worker.on("error", (error) => {
      if (!slot.ready) this.fail(`a parse worker did not start: ${error.message}`);
    });
    worker.on("exit", (code) => this.exited(slot, code));
  }

  private send(slot: Slot, job: Job) {
    slot.jobs.push(job);
    // An exact-size copy moves to the worker without a second copy (the source may be a view of a
    // larger buffer, which structured clone would copy whole).
    const copy = new Uint8Array(job.source);
    slot.worker.postMessage({ id: job.id, source: copy, settings: job.settings }, [copy.buffer]);
    if (slot.jobs.length === 1) this.arm(slot);
  }

  private receive(slot: Slot, message: WorkerMessage) {
    if ("ready" in message) {
      slot.ready = true;
      this.pump();
      return;
    }
    const index = slot.jobs.findIndex((j) => j.id === message.id);
    if (index < 0) return;
    const [job] = slot.jobs.splice(index, 1);
    if (index === 0) this.arm(slot);
    if ("failed" in message) void inThread(job!.source, job!.settings).then(job!.resolve);
    else job!.resolve(fromWorker(message.raw));
    this.pump();
  }

  /** Watches the job the worker is on: past its own timeout plus a grace, the worker is presumed stuck. */
  private arm(slot: Slot) {
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdog = null;
    const head = slot.jobs[0];
    if (!head) return;
    slot.watchdog = setTimeout(() => {
      const error = new Error(`parser did not finish within ${head.settings.timeoutMs} ms`);
      void this.retire(slot, { job: head, error });
    }, head.settings.timeoutMs + Math.min(STUCK_GRACE_MS, head.settings.timeoutMs));
  }

  /** Stops a worker; the job it was stuck on (if any) fails, the others go back to the queue. */
  private async retire(slot: Slot, stuck: { job: Job; error: Error } | null) {
    this.slots.delete(slot);
    if (slot.watchdog) clearTimeout(slot.watchdog);
    const jobs = slot.jobs.splice(0);
    await slot.worker.terminate().catch(() => {});
    for (const job of jobs) {
      if (stuck && job === stuck.job) job.resolve(failedParse(stuck.error));
      else this.queue.unshift(job);
    }
    this.pump();
  }

  private exited(slot: Slot, code: number) {
    if (!this.slots.has(slot)) return;
    this.slots.delete(slot);
    if (slot.watchdog) clearTimeout(slot.watchdog);
    const jobs = slot.jobs.splice(0);
    if (!slot.ready) {
      this.queue.unshift(...jobs);
      this.fail(`a parse worker exited (code ${code}) before it was ready`);
      return;
    }
    // The job it was on may be what killed it (e.g. out of memory): that one is flagged, not retried.
    const [head, ...rest] = jobs;
    if (head) head.resolve(failedParse(new Error(`the parse worker exited (code ${code}) while parsing this message`)));
    this.queue.unshift(...rest);
    this.pump();
  }

  /** Workers cannot run here: everything is parsed in this thread from now on. */
  private fail(reason: string) {
    if (this.broken) return;
    this.broken = true;
    console.warn(`Parsing mail in the main thread: ${reason}`);
    for (const slot of [...this.slots]) void this.retire(slot, null);
    this.pump();
  }

  private updateIdle() {
    const busy = this.queue.length > 0 || [...this.slots].some((s) => s.jobs.length > 0 || !s.ready);
    for (const slot of this.slots) {
      // Idle threads must not keep a CLI or test process alive; busy ones must.
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
    if (busy) this.clearIdle();
    else if (!this.idleTimer && this.slots.size) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        for (const slot of [...this.slots]) if (!slot.jobs.length) void this.retire(slot, null);
      }, IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private clearIdle() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

let inThreadTail: Promise<unknown> = Promise.resolve();

/** mailparser in this thread, one source at a time. */
function inThread(source: Buffer, settings: MailparserSettings): Promise<RawParse> {
  const result = inThreadTail.then(() => runMailparser(source, settings));
  inThreadTail = result;
  return result;
}

type WorkerMessage = { ready: true } | { id: number; raw: RawParse } | { id: number; failed: string };

/** Structured clone turns Buffers into plain Uint8Arrays. */
function fromWorker(raw: RawParse): RawParse {
  for (const attachment of raw.attachments) {
    const content = attachment.content as Uint8Array | null;
    if (content && !Buffer.isBuffer(content)) attachment.content = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  }
  return raw;
}

function failedParse(error: Error): RawParse {
  return { headers: null, headerLines: [], text: null, html: null, textConversionFailed: false, attachments: [], error };
}
