import type { Database } from "@/db/connect";

/**
 * The `db` of a handler or action declared outside a transaction: any use is a programming error,
 * said plainly, instead of a query that would silently run unscoped or on the wrong connection.
 */
export function noTransaction(kind: string, name: string, instead: string): Database {
  return new Proxy({} as Database, {
    get() {
      throw new Error(`${kind} ${name} runs outside a transaction (outsideTransaction): use ${instead}, not its db.`);
    },
  });
}
