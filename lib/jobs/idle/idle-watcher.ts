import { and, eq } from "drizzle-orm";
import type { ImapFlow } from "imapflow";
import type { Database } from "@/db/connect";
import { mailAccounts, mailboxes } from "@/db/schema";
import type { FolderStatus } from "@/lib/imap/list-folders";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { isUnchanged } from "@/lib/sync/sync-mailbox";
import { type RunnerClock, systemClock } from "../in-process/clock";
import { isSyncPending } from "../is-sync-pending";
import { type WatchableAccount, listWatchableAccounts } from "./list-watchable-accounts";
import { LoginLimiter } from "./login-limiter";
import { type FolderChange, FolderWatch, type FolderWatchState } from "./watch-folder";

export type IdleWatcherOptions = {
  db: Database;
  // Sends a sync request for the account (inngest/request-account-sync.ts in the app).
  requestSync(account: { id: string; orgId: string }): Promise<unknown>;
  // One logged-in connection for the account; defaults to its stored credentials.
  connect?(accountId: string): Promise<ImapFlow>;
  // How often the list of accounts to watch is re-read.
  refreshMs?: number;
  renewMs?: number;
  loginsPerMinute?: number;
  watchSent?: boolean;
  // After a sync request, how soon to check it was taken up (and ask again if not).
  confirmAfterMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  clock?: RunnerClock;
  logger?: { info(message: string): void; warn(message: string): void; error(message: string): void };
};

export type AccountWatchStatus = {
  folders: { path: string; state: FolderWatchState; since: number; lastError: string | null; lastChangeAt: number | null; logins: number }[];
};

type Watched = { account: WatchableAccount; watches: Map<string, FolderWatch> };
type Requests = { inFlight: boolean; pending: boolean };

/**
 * Near-real-time mail: holds IMAP IDLE on Inbox (and Sent) of every healthy account and asks for a
 * sync as soon as the server reports a change; other folders are left to the schedule. Requests
 * per account are coalesced (one in flight, at most one queued behind it).
 */
export class IdleWatcher {
  private readonly watched = new Map<string, Watched>();
  // Accounts whose login failed, with the row version that failed: retried only once it changes.
  private readonly authFailed = new Map<string, number>();
  private readonly requests = new Map<string, Requests>();
  private readonly limiter: LoginLimiter;
  private readonly clock: RunnerClock;
  private readonly lifetime = new AbortController();
  private refreshing: Promise<void> | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: IdleWatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.limiter = new LoginLimiter(options.loginsPerMinute ?? 6, this.clock);
  }

  /** Reads the accounts and starts watching; re-reads them every refreshMs. */
  async start(): Promise<void> {
    if (this.loop) return;
    await this.refresh();
    const every = this.options.refreshMs ?? 30_000;
    this.loop = (async () => {
      while (!this.lifetime.signal.aborted) {
        await this.clock.sleep(every, this.lifetime.signal);
        if (!this.lifetime.signal.aborted) await this.refresh().catch((e) => this.options.logger?.warn(`idle watcher: ${(e as Error).message}`));
      }
    })();
  }

  async stop(): Promise<void> {
    this.lifetime.abort();
    await this.loop;
    await Promise.all([...this.watched.values()].flatMap((w) => [...w.watches.values()].map((f) => f.stop())));
    this.watched.clear();
  }

  /** Re-reads which accounts to watch now (e.g. right after an account was linked or reconnected). */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  status(accountId: string): AccountWatchStatus | null {
    const watched = this.watched.get(accountId);
    if (!watched) return null;
    return {
      folders: [...watched.watches].map(([path, w]) => ({
        path,
        state: w.state,
        since: w.since,
        lastError: w.lastError,
        lastChangeAt: w.lastChangeAt,
        logins: w.logins,
      })),
    };
  }

  private async doRefresh(): Promise<void> {
    if (this.lifetime.signal.aborted) return;
    const accounts = await listWatchableAccounts(this.options.db, { sent: this.options.watchSent ?? true });
    const wanted = new Map(accounts.map((a) => [a.id, a]));
    for (const [id, watched] of this.watched) {
      const next = wanted.get(id);
      const stopped = [...watched.watches.values()].every((w) => w.state === "stopped");
      if (!next || stopped) {
        this.watched.delete(id);
        await Promise.all([...watched.watches.values()].map((w) => w.stop()));
        continue;
      }
      // Folders come and go (the Sent folder appears after the first sync): only those change.
      for (const [path, watch] of watched.watches) {
        if (!next.folders.includes(path)) {
          watched.watches.delete(path);
          await watch.stop();
        }
      }
      watched.account = next;
      for (const path of next.folders) if (!watched.watches.has(path)) this.watchFolder(watched, path);
    }
    for (const account of accounts) {
      if (this.watched.has(account.id)) continue;
      const failedVersion = this.authFailed.get(account.id);
      if (failedVersion !== undefined && failedVersion === account.updatedAt.getTime()) continue;
      this.authFailed.delete(account.id);
      const watched: Watched = { account, watches: new Map() };
      this.watched.set(account.id, watched);
      for (const path of account.folders) this.watchFolder(watched, path);
    }
  }

  private watchFolder(watched: Watched, path: string) {
    const connect = this.options.connect ?? ((id: string) => this.connectStored(id));
    const accountId = watched.account.id;
    const watch = new FolderWatch({
      accountId,
      path,
      connect: () => connect(accountId),
      limiter: this.limiter,
      onChange: (change) => {
        if (change !== "reconnected") return this.changed(watched.account, change);
        this.catchUp(watched.account);
      },
      onOpened: (status) => {
        // Mail that came between the last sync and this watch (e.g. while the account was linked
        // and first synced, or while the app was down) would otherwise wait for the schedule.
        void this.isBehind(accountId, path, status)
          .then((behind) => behind && this.catchUp(watched.account))
          .catch((error) => this.options.logger?.warn(`idle watcher: ${accountId}: ${(error as Error).message}`));
      },
      onAuthFailure: (error) => {
        this.options.logger?.warn(`idle watcher: ${accountId}: ${error.message}; not watching until it is reconnected`);
        this.authFailed.set(accountId, watched.account.updatedAt.getTime());
        void Promise.all([...watched.watches.values()].map((w) => w.stop()));
        // One sync records the failure on the account (reconnect_needed) and tells the user.
        this.changed(watched.account, "reconnected");
      },
      renewMs: this.options.renewMs ?? 25 * 60_000,
      backoff: this.options.backoff ?? { initialMs: 1_000, maxMs: 5 * 60_000 },
      clock: this.clock,
    });
    watched.watches.set(path, watch);
    watch.start();
  }

  /**
   * A sync for changes IDLE did not announce. It is one more login: it counts against the account's
   * cap too, or a server that keeps dropping IDLE would see twice the logins the cap promises.
   */
  private catchUp(account: WatchableAccount) {
    void this.limiter.take(account.id, this.lifetime.signal).then((allowed) => allowed && this.changed(account, "reconnected"));
  }

  /** Whether the server's folder differs from what the last sync stored (the test that makes a sync a no-op). */
  private async isBehind(accountId: string, path: string, status: FolderStatus): Promise<boolean> {
    const [row] = await this.options.db
      .select()
      .from(mailboxes)
      .where(and(eq(mailboxes.accountId, accountId), eq(mailboxes.path, path)));
    return !row || !isUnchanged(row, status);
  }

  private changed(account: WatchableAccount, _change: FolderChange) {
    const state = this.requests.get(account.id) ?? { inFlight: false, pending: false };
    this.requests.set(account.id, state);
    if (state.inFlight) {
      state.pending = true;
      return;
    }
    state.inFlight = true;
    void (async () => {
      do {
        state.pending = false;
        await this.request(account);
        await this.confirm(account, state);
      } while (state.pending && !this.lifetime.signal.aborted);
      state.inFlight = false;
    })();
  }

  /**
   * A request that arrives while the account's run is finishing is dropped (one run per account):
   * while the request stays unserved, ask again, backing off (1 s, 2 s, 4 s …).
   */
  private async confirm(account: WatchableAccount, state: Requests) {
    for (let wait = this.options.confirmAfterMs ?? 1_000; wait <= 16_000; wait *= 2) {
      await this.clock.sleep(wait, this.lifetime.signal);
      if (this.lifetime.signal.aborted || state.pending) return;
      const pending = await isSyncPending(this.options.db, account.id).catch(() => false);
      if (!pending) return;
      await this.request(account);
    }
  }

  private async request(account: WatchableAccount) {
    try {
      await this.options.requestSync({ id: account.id, orgId: account.orgId });
    } catch (error) {
      this.options.logger?.warn(`idle watcher: sync request for ${account.id} failed: ${(error as Error).message}`);
    }
  }

  private async connectStored(accountId: string): Promise<ImapFlow> {
    const [row] = await this.options.db.select().from(mailAccounts).where(eq(mailAccounts.id, accountId));
    if (!row) throw new Error(`Account ${accountId} no longer exists`);
    return openAccountConnection(row);
  }
}
