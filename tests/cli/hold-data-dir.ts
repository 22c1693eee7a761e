// Child process for tests/cli/cli.test.ts: opens the embedded database in THREADLINE_DATA_DIR the way
// the app does, says "ready", and holds it until its stdin closes.
import { sql } from "drizzle-orm";
import { connect } from "@/db/connect";

const connection = connect();
await connection.db.execute(sql`select 1`);
process.stdout.write(`ready ${process.pid}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  await connection.close();
  process.exit(0);
});
