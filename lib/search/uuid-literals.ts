import { type SQL, sql } from "drizzle-orm";
import { isUuid } from "@/lib/conversations/get-conversation";

/**
 * `'{<id>,...}'::uuid[]` written into the SQL, for ids read from the database (checked): one constant
 * array the planner sees, without a bound parameter per id.
 */
export function uuidArrayLiteral(ids: readonly string[]): SQL {
  return sql.raw(`'{${ids.map(checkedUuid).join(",")}}'::uuid[]`);
}

function checkedUuid(id: string): string {
  if (!isUuid(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return id;
}
