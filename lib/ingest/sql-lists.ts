import { type SQL, sql } from "drizzle-orm";
import { cleanText } from "@/lib/mime/clean-text";

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

export type JsonColumn = readonly [name: string, type: string];

/**
 * `INSERT INTO table (...) SELECT ... FROM json_to_recordset($1)`: a whole batch travels as ONE
 * JSON parameter, which is much cheaper to build than thousands of bind parameters and has no
 * parameter limit. Row objects are keyed by column name; bytea values go as base64 strings.
 * Every string is made Postgres-safe on the way (no NUL, no lone surrogate): json_to_recordset
 * would otherwise reject the whole batch for one bad character.
 */
export function insertJsonRows(table: string, columns: readonly JsonColumn[], rows: readonly object[], tail: SQL = sql``): SQL {
  const names = columns.map(([name]) => quoteIdent(name)).join(", ");
  const definitions = columns.map(([name, type]) => `${quoteIdent(name)} ${type === "bytea" ? "text" : type}`).join(", ");
  const selects = columns.map(([name, type]) => (type === "bytea" ? `decode(x.${quoteIdent(name)}, 'base64')` : `x.${quoteIdent(name)}`)).join(", ");
  return sql`insert into ${sql.raw(quoteIdent(table))} as t (${sql.raw(names)})
    select ${sql.raw(selects)} from json_to_recordset(${JSON.stringify(rows, postgresSafe)}::json) as x(${sql.raw(definitions)}) ${tail}`;
}

function postgresSafe(_key: string, value: unknown): unknown {
  return typeof value === "string" ? cleanText(value) : value;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A timestamptz read back through raw SQL: postgres.js (as drizzle configures it) hands over the text
 * form "0002-11-30 08:00:00+00", which `new Date()` misreads for years below 100; PGlite gives a Date.
 */
export function pgTimestamp(value: string | Date | null | undefined): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?)?$/.exec(value.trim());
  const date = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ? `${m[7]}:${m[8] ?? "00"}` : "Z"}`) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
