import { type SQL, sql } from "drizzle-orm";

/** `array[$1, $2, ...]::text[]` (portable across postgres.js and PGlite, unlike binding a JS array). */
export function textArray(values: readonly string[]): SQL {
  if (!values.length) return sql`'{}'::text[]`;
  return sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;
}

/** `($1, $2, ...)` for `IN`; callers must not pass an empty list. */
export function inList(values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )})`;
}

/** Splits rows into groups that stay under Postgres' 65,535 bind parameters and a byte budget. */
export function chunkRows<T>(rows: T[], columns: number, weigh: (row: T) => number = () => 0, maxBytes = 16 * 1024 * 1024): T[][] {
  const maxRows = Math.max(1, Math.min(2000, Math.floor(60_000 / columns)));
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const weight = weigh(row);
    if (current.length && (current.length >= maxRows || bytes + weight > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += weight;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Dates bound in raw SQL go as ISO strings: drizzle's postgres.js setup does not serialise Date objects. */
export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
