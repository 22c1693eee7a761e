/**
 * The server's error behind a failed query, whichever driver raised it: drizzle wraps driver errors
 * (`cause`), postgres.js calls the constraint `constraint_name`, PGlite `constraint`.
 */
export function databaseErrorOf(error: unknown): { code: string; constraint?: string; message: string } | null {
  for (let current = error; current && typeof current === "object"; current = (current as { cause?: unknown }).cause) {
    const candidate = current as { code?: unknown; constraint?: string; constraint_name?: string; message?: string };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return { code: candidate.code, constraint: candidate.constraint_name ?? candidate.constraint, message: candidate.message ?? "" };
    }
  }
  return null;
}

/** Awaits a query that must fail and returns the server's error (SQLSTATE code and constraint). */
export async function expectDatabaseError(query: PromiseLike<unknown>) {
  try {
    await query;
  } catch (error) {
    const dbError = databaseErrorOf(error);
    if (!dbError) throw error;
    return dbError;
  }
  throw new Error("Expected the query to be refused by the database, but it succeeded");
}

export const SQLSTATE = {
  checkViolation: "23514",
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
} as const;
