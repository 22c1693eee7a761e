import postgres from "postgres";
import type { EventInput } from "./in-process/in-process-runner";

// pg_advisory_lock keys: db/connect.ts uses 727274 for migrations.
const LEADER_LOCK_KEY = 727275;
const CHANNEL = "threadline_jobs";
// NOTIFY payloads must stay under 8,000 bytes.
const MAX_PAYLOAD = 7_000;

export type Leadership = {
  isLeader(): boolean;
  /** Hands events to whichever process leads (NOTIFY), for processes that do not. */
  forward(events: EventInput[]): Promise<{ ids: string[] }>;
  stop(): Promise<void>;
};

type Options = {
  url: string;
  // Start / stop this process's background work; onFollow also runs when leadership is lost.
  onLead(): Promise<void>;
  onFollow(): Promise<void>;
  // Events other processes forwarded to the leader.
  onEvents(events: EventInput[]): void;
  retryMs?: number;
  logger?: { info(message: string): void; warn(message: string): void };
};

/**
 * With a shared Postgres, several app and worker processes may start: the one holding a session
 * advisory lock runs the in-process jobs and the IDLE watcher, the others forward events to it with
 * NOTIFY and take over if it goes away (its session ends, the lock is released).
 */
export async function startLeadership(options: Options): Promise<Leadership> {
  const retryMs = options.retryMs ?? 10_000;
  const sql = postgres(options.url, { max: 2, idle_timeout: 0, onnotice: () => {} });
  let leader = false;
  let stopped = false;
  let session: postgres.ReservedSql | null = null;
  let listening: { unlisten(): Promise<void> } | null = null;
  let timer: NodeJS.Timeout | null = null;

  const lose = async (reason: string) => {
    if (!leader) return;
    leader = false;
    options.logger?.warn(`jobs: leadership lost (${reason})`);
    await listening?.unlisten().catch(() => {});
    listening = null;
    session?.release();
    session = null;
    await options.onFollow();
  };

  const tick = async () => {
    if (stopped) return;
    try {
      if (leader) {
        // Heartbeat: a dead session has already released the lock to someone else.
        await session!`select 1`;
      } else {
        session ??= await sql.reserve();
        const [row] = await session<{ locked: boolean }[]>`select pg_try_advisory_lock(${LEADER_LOCK_KEY}) as locked`;
        if (row?.locked) {
          leader = true;
          listening = await sql.listen(CHANNEL, (payload) => {
            try {
              options.onEvents(JSON.parse(payload) as EventInput[]);
            } catch {
              options.logger?.warn("jobs: ignored a malformed forwarded event");
            }
          });
          options.logger?.info("jobs: this process runs the background jobs");
          await options.onLead();
        } else {
          session.release();
          session = null;
        }
      }
    } catch (error) {
      await lose((error as Error).message);
    }
    if (!stopped) timer = setTimeout(() => void tick(), retryMs).unref();
  };

  await tick();
  if (!leader) await options.onFollow();

  return {
    isLeader: () => leader,
    forward: async (events) => {
      const ids = events.map((e) => e.id ?? crypto.randomUUID());
      const withIds = events.map((e, i) => ({ ...e, id: ids[i] }));
      for (const chunk of chunks(withIds)) await sql.notify(CHANNEL, JSON.stringify(chunk));
      return { ids };
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (leader) {
        leader = false;
        await options.onFollow();
        await listening?.unlisten().catch(() => {});
        if (session) await session`select pg_advisory_unlock(${LEADER_LOCK_KEY})`.catch(() => {});
      }
      session?.release();
      await sql.end({ timeout: 5 });
    },
  };
}

function chunks(events: EventInput[]): EventInput[][] {
  const out: EventInput[][] = [];
  let current: EventInput[] = [];
  for (const event of events) {
    const next = [...current, event];
    if (current.length > 0 && JSON.stringify(next).length > MAX_PAYLOAD) {
      out.push(current);
      current = [event];
    } else {
      current = next;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}
