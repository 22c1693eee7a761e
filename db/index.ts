import { type Connection, type Database, connect } from "./connect";

// Kept on globalThis so hot reloads never open the embedded database twice.
const holder = globalThis as unknown as { threadlineDb?: Connection; threadlineMigrated?: Promise<void> };

/**
 * Opened on first use, not at import: Next.js imports route modules in helper processes (dev's
 * static-paths worker, the build's page-data workers) that must not take the PGlite lock.
 */
export function getConnection(): Connection {
  return (holder.threadlineDb ??= connect());
}

export const connection: Connection = lazy(() => getConnection());
export const db: Database = lazy(() => getConnection().db);

/** Applies pending migrations once per process; every entry point awaits it before the first query. */
export function ensureMigrated(): Promise<void> {
  return (holder.threadlineMigrated ??= getConnection().migrate());
}

function lazy<T extends object>(resolve: () => T): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const target = resolve();
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    has: (_target, property) => Reflect.has(resolve(), property),
  });
}
