import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { decryptSecret, encryptSecret, type KeyRing, keyIdOf, keyRing } from "@/lib/crypto/secret-box";

// Every column that holds a secret (each has a CHECK constraint refusing plaintext), with the
// row's key. A new secret column must be added here or `keys:rotate` leaves it under the old key.
const SECRET_COLUMNS = [
  { table: "mail_accounts", key: ["id"], column: "encrypted_password" },
  { table: "mail_accounts", key: ["id"], column: "encrypted_access_token" },
  { table: "mail_accounts", key: ["id"], column: "encrypted_refresh_token" },
  { table: "accounts", key: ["provider", "providerAccountId"], column: "access_token" },
  { table: "accounts", key: ["provider", "providerAccountId"], column: "refresh_token" },
  { table: "accounts", key: ["provider", "providerAccountId"], column: "id_token" },
] as const;

export type RotationReport = {
  currentKey: string;
  // Secrets per key id before the rotation.
  before: Record<string, number>;
  reencrypted: Record<string, number>;
  total: { secrets: number; reencrypted: number; alreadyCurrent: number; changedMeanwhile: number };
};

export class MissingKeyError extends Error {
  constructor(readonly missing: Record<string, number>) {
    super(
      `Some secrets are encrypted with keys that are not configured: ${Object.entries(missing)
        .map(([id, n]) => `"${id}" (${n})`)
        .join(", ")}. Add them to THREADLINE_ENCRYPTION_KEYS after the new key, then run keys:rotate again. Nothing was changed.`,
    );
    this.name = "MissingKeyError";
  }
}

/**
 * `keys:rotate`: re-encrypts every stored secret under the current key (the first one in
 * THREADLINE_ENCRYPTION_KEYS). Refuses to start if any secret uses a key that is not configured.
 * Each value is replaced only if it is still the one read (a token refreshed meanwhile was
 * written under the current key already), so it is safe while the app runs. Idempotent.
 */
export async function reencryptSecrets(db: Database, { ring = keyRing(), batchSize = 500 }: { ring?: KeyRing; batchSize?: number } = {}): Promise<RotationReport> {
  const before: Record<string, number> = {};
  for (const target of SECRET_COLUMNS) {
    const rows = await queryRows<{ key_id: string; n: number }>(
      db,
      sql`select split_part(${col(target.column)}, ':', 2) as key_id, count(*)::int as n from ${col(target.table)} where ${col(target.column)} is not null group by 1`,
    );
    for (const { key_id, n } of rows) before[key_id] = (before[key_id] ?? 0) + Number(n);
  }
  const missing = Object.fromEntries(Object.entries(before).filter(([id]) => !ring.keys.has(id)));
  if (Object.keys(missing).length) throw new MissingKeyError(missing);

  const report: RotationReport = { currentKey: ring.current, before, reencrypted: {}, total: { secrets: 0, reencrypted: 0, alreadyCurrent: 0, changedMeanwhile: 0 } };
  report.total.secrets = Object.values(before).reduce((a, b) => a + b, 0);
  report.total.alreadyCurrent = before[ring.current] ?? 0;
  for (const target of SECRET_COLUMNS) {
    const name = `${target.table}.${target.column}`;
    report.reencrypted[name] = 0;
    const keyList = sql.join(target.key.map((k) => col(k)), sql`, `);
    let after: string[] | null = null;
    for (;;) {
      const rows: Record<string, string>[] = await queryRows<Record<string, string>>(
        db,
        sql`select ${keyList}, ${col(target.column)} as secret from ${col(target.table)}
          where ${col(target.column)} is not null and split_part(${col(target.column)}, ':', 2) <> ${ring.current}
            ${after ? sql`and (${keyList}) > (${sql.join(after.map((v) => sql`${v}`), sql`, `)})` : sql``}
          order by ${keyList} limit ${batchSize}`,
      );
      if (!rows.length) break;
      for (const row of rows) {
        if (keyIdOf(row.secret!) === ring.current) continue;
        const fresh = encryptSecret(decryptSecret(row.secret!, ring), ring);
        const where = sql.join(target.key.map((k) => sql`${col(k)} = ${row[k]!}`), sql` and `);
        const updated: { ok: number }[] = await queryRows<{ ok: number }>(
          db,
          sql`update ${col(target.table)} set ${col(target.column)} = ${fresh} where ${where} and ${col(target.column)} = ${row.secret!} returning 1 as ok`,
        );
        if (updated.length) report.reencrypted[name]++;
        else report.total.changedMeanwhile++;
      }
      after = target.key.map((k) => rows[rows.length - 1]![k]!);
    }
    report.total.reencrypted += report.reencrypted[name];
  }
  return report;
}

function col(name: string) {
  return sql.raw(`"${name}"`);
}
