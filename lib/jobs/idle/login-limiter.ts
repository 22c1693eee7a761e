/**
 * At most `perMinute` logins per account in any minute, however many of its folders are reconnecting:
 * providers lock accounts that log in too often, and a flapping network must not look like an attack.
 */
export class LoginLimiter {
  private readonly logins = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> },
  ) {}

  /** Waits until a login is allowed, then counts it. Resolves early (false) when aborted. */
  async take(key: string, signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const now = this.clock.now();
      const recent = (this.logins.get(key) ?? []).filter((t) => t > now - 60_000);
      if (recent.length < this.perMinute) {
        recent.push(now);
        this.logins.set(key, recent);
        return true;
      }
      this.logins.set(key, recent);
      await this.clock.sleep(recent[0]! + 60_000 - now, signal);
    }
  }

  forget(key: string) {
    this.logins.delete(key);
  }
}
