import { type Connection, connect } from "./connect";

// Kept on globalThis so hot reloads never open the embedded database twice.
const holder = globalThis as unknown as { threadlineDb?: Connection; threadlineMigrated?: Promise<void> };

export const connection = (holder.threadlineDb ??= connect());
export const db = connection.db;

/** Applies pending migrations once per process; every entry point awaits it before the first query. */
export function ensureMigrated(): Promise<void> {
  return (holder.threadlineMigrated ??= connection.migrate());
}
