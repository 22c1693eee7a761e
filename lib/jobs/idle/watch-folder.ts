import type { ImapFlow, MailboxObject } from "imapflow";
import { closeImap } from "@/lib/imap/connect-imap";
import { type ImapError, classifyImapError } from "@/lib/imap/imap-error";
import type { FolderStatus } from "@/lib/imap/list-folders";
import { selectedModseq } from "@/lib/sync/fetch-messages";
import type { RunnerClock } from "../in-process/clock";
import type { LoginLimiter } from "./login-limiter";

export type FolderWatchState = "connecting" | "idle" | "waiting" | "stopped";
export type FolderChange = "exists" | "expunge" | "flags" | "reconnected";

export type FolderWatchOptions = {
  accountId: string;
  path: string;
  // Opens a logged-in connection (one login).
  connect(): Promise<ImapFlow>;
  limiter: LoginLimiter;
  onChange(change: FolderChange): void;
  // The folder as the server shows it when the watch first opens it: changes made before then were
  // never announced over IDLE (after a reconnect, onChange("reconnected") covers the gap instead).
  onOpened?(status: FolderStatus): void;
  onAuthFailure(error: ImapError): void;
  // IDLE is restarted this often (RFC 2177: servers may drop it after 30 minutes).
  renewMs: number;
  backoff: { initialMs: number; maxMs: number };
  clock: RunnerClock;
};

// A session this long was healthy: after it drops, reconnect at once rather than backing off.
const HEALTHY_SESSION_MS = 60_000;

/**
 * Holds IDLE on one folder: connects, selects read-only, reports every EXISTS/EXPUNGE/FETCH, renews
 * IDLE before the server's 30-minute limit, and reconnects with exponential back-off (and within the
 * account's login cap) when the connection drops. An auth failure ends the watch for good.
 */
export class FolderWatch {
  state: FolderWatchState = "connecting";
  since = Date.now();
  lastError: string | null = null;
  lastChangeAt: number | null = null;
  logins = 0;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: FolderWatchOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    const { clock, backoff } = this.options;
    let failures = 0;
    let reconnecting = false;
    // The back-off a throttling server asked for (Office 365's suggested time, [THROTTLED] …).
    let serverDelay = 0;
    while (!signal.aborted) {
      if (!(await this.options.limiter.take(this.options.accountId, signal))) break;
      this.setState("connecting");
      const startedAt = clock.now();
      let client: ImapFlow | null = null;
      const closeOnStop = () => void closeImap(client);
      try {
        client = await this.options.connect();
        this.logins++;
        signal.addEventListener("abort", closeOnStop, { once: true });
        const box = await client.mailboxOpen(this.options.path, { readOnly: true });
        const notify = (change: FolderChange) => () => {
          this.lastChangeAt = clock.now();
          this.options.onChange(change);
        };
        client.on("exists", notify("exists"));
        client.on("expunge", notify("expunge"));
        client.on("flags", notify("flags"));
        this.lastError = null;
        this.setState("idle");
        // Whatever arrived while this folder was not watched.
        if (reconnecting) this.options.onChange("reconnected");
        else this.options.onOpened?.(statusOf(client, box));
        reconnecting = true;
        await this.idle(client, signal);
      } catch (error) {
        if (signal.aborted) break;
        const failure = classifyImapError(error);
        this.lastError = failure.message;
        serverDelay = failure.kind === "throttled" ? (failure.retryAfterMs ?? 0) : 0;
        if (failure.kind === "auth") {
          this.options.onAuthFailure(failure);
          break;
        }
      } finally {
        signal.removeEventListener("abort", closeOnStop);
        client?.removeAllListeners("exists").removeAllListeners("expunge").removeAllListeners("flags");
        await closeImap(client);
      }
      if (signal.aborted) break;
      failures = clock.now() - startedAt > HEALTHY_SESSION_MS ? 1 : failures + 1;
      this.setState("waiting");
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1));
      await clock.sleep(Math.max(serverDelay, delay * (0.8 + Math.random() * 0.4)), signal);
      serverDelay = 0;
    }
    this.setState("stopped");
  }

  /** IDLE until the connection ends or the watch stops, renewing it every renewMs. */
  private async idle(client: ImapFlow, signal: AbortSignal): Promise<void> {
    let quickReturns = 0;
    while (!signal.aborted && client.usable) {
      const renew = setTimeout(() => void client.noop().catch(() => {}), this.options.renewMs);
      const began = Date.now();
      try {
        // idle() also ends with false when the connection drops (a BYE, a socket timeout).
        if ((await client.idle()) === false && client.usable) throw new Error("The server refused IDLE");
      } finally {
        clearTimeout(renew);
      }
      // idle() returns at once when no mailbox is selected: never spin on it.
      quickReturns = Date.now() - began < 100 ? quickReturns + 1 : 0;
      if (quickReturns >= 5) throw new Error(`IDLE on ${this.options.path} keeps ending immediately`);
    }
    if (!signal.aborted) throw new Error("The connection closed");
  }

  private setState(state: FolderWatchState) {
    if (this.state !== state) this.since = Date.now();
    this.state = state;
  }
}

function statusOf(client: ImapFlow, box: MailboxObject): FolderStatus {
  return {
    messages: box.exists,
    // Some servers omit UIDNEXT: 0 never matches a stored one, so the folder counts as changed.
    uidNext: box.uidNext ?? 0,
    uidValidity: Number(box.uidValidity),
    highestModseq: selectedModseq(client, box),
  };
}
