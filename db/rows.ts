import type { SQL } from "drizzle-orm";
import type { Database, Transaction } from "./connect";

/** Raw SQL rows, whichever driver is behind `db` (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T>(db: Database | Transaction, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A boolean column read through raw SQL, as either driver hands it over (a boolean, or "t"). */
export function pgBoolean(value: unknown): boolean {
  return value === true || value === "t";
}
