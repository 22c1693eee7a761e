import { type SQL, sql } from "drizzle-orm";

/**
 * Whose usage: one organisation (its owners and admins), one account in it (drill-down), or the
 * whole platform (platform admins only: lib/admin). The org id is always part of an account scope,
 * so an account id from the URL can never reach another organisation's rows.
 */
export type UsageScope = { kind: "org"; orgId: string } | { kind: "account"; orgId: string; accountId: string } | { kind: "platform" };

/** Usage windows offered in the UI, in days. */
export const USAGE_WINDOWS = [7, 30, 90] as const;
export type UsageWindow = (typeof USAGE_WINDOWS)[number];

export function readUsageWindow(value: unknown): UsageWindow {
  const days = Number(Array.isArray(value) ? value[0] : value);
  return (USAGE_WINDOWS as readonly number[]).includes(days) ? (days as UsageWindow) : 30;
}

/** The scope as a condition on a table alias that has org_id (and account_id for account scopes). */
export function scopeSql(scope: UsageScope, alias: string, accountColumn = "account_id"): SQL {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias) || !/^[a-z_]+$/.test(accountColumn)) throw new Error(`Not an SQL alias: ${alias}.${accountColumn}`);
  if (scope.kind === "platform") return sql`true`;
  const org = sql`${sql.raw(`${alias}.org_id`)} = ${scope.orgId}`;
  return scope.kind === "org" ? org : sql`${org} and ${sql.raw(`${alias}.${accountColumn}`)} = ${scope.accountId}`;
}

/** Midnight UTC at the start of the window: the window is `days` whole UTC days, today included. */
export function windowStartSql(days: number): SQL {
  return sql`(date_trunc('day', now() at time zone 'UTC') - (${days - 1})::int * interval '1 day') at time zone 'UTC'`;
}
