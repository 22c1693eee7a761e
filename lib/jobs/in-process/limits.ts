/** A counting semaphore per key: concurrency limits on steps in flight. */
export class KeyedSemaphore {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  async acquire(key: string, limit: number): Promise<() => void> {
    if ((this.active.get(key) ?? 0) >= limit) {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    } else {
      this.active.set(key, (this.active.get(key) ?? 0) + 1);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.get(key)?.shift();
      // The slot passes straight to the next waiter, so the count stays put.
      if (next) return next();
      const count = (this.active.get(key) ?? 1) - 1;
      if (count > 0) this.active.set(key, count);
      else this.active.delete(key);
      if (this.waiting.get(key)?.length === 0) this.waiting.delete(key);
    };
  }
}

/**
 * Run starts per key and period, like Inngest's throttle: at most `limit` starts in any window of
 * `periodMs` (plus `burst - 1` extra at once); later starts wait their turn rather than being dropped.
 */
export class KeyedThrottle {
  private readonly starts = new Map<string, number[]>();
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly clock: { now(): number; sleep(ms: number): Promise<void> }) {}

  wait(key: string, limit: number, periodMs: number, burst: number): Promise<void> {
    // Chained per key so waiters start in arrival order.
    const previous = this.tails.get(key) ?? Promise.resolve();
    const turn = previous.then(async () => {
      const capacity = limit + Math.max(0, burst - 1);
      for (;;) {
        const now = this.clock.now();
        const recent = (this.starts.get(key) ?? []).filter((t) => t > now - periodMs);
        if (recent.length < capacity) {
          recent.push(now);
          this.starts.set(key, recent);
          return;
        }
        this.starts.set(key, recent);
        await this.clock.sleep(recent[0]! + periodMs - now);
      }
    });
    this.tails.set(key, turn);
    void turn.finally(() => {
      if (this.tails.get(key) === turn) this.tails.delete(key);
    });
    return turn;
  }
}
