import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/connect";

/**
 * Folds threads into others (loser → winner), e.g. when a parent message arrives that links two
 * threads built from its replies. The winner's stats must be refreshed afterwards.
 */
export async function mergeThreads(tx: Transaction, orgId: string, merges: Map<string, string>): Promise<void> {
  if (!merges.size) return;
  const pairs = sql.join(
    [...merges].map(([loser, winner]) => sql`(${loser}::uuid, ${winner}::uuid)`),
    sql`, `,
  );
  await tx.execute(sql`
    update messages m set thread_id = v.winner, updated_at = now()
    from (values ${pairs}) as v(loser, winner)
    where m.org_id = ${orgId} and m.thread_id = v.loser`);
  await tx.execute(sql`
    delete from threads t using (values ${pairs}) as v(loser, winner)
    where t.org_id = ${orgId} and t.id = v.loser`);
}
