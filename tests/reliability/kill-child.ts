// Child process for kill-resume.test.ts: one syncAccount pass, killed with SIGKILL by the parent.
// Prints "ready" once loaded, "commit" after every committed batch, and a JSON summary at the end.
import { connect } from "@/db/connect";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";
import { countBodyFetchUids } from "./body-fetches";

const connection = connect({ ...process.env, DATABASE_URL: process.env.KILL_CHILD_DATABASE_URL });
let requested = 0;
process.stdout.write("ready\n");
const summary = await syncAccount({
  db: connection.db,
  account: process.env.KILL_CHILD_ACCOUNT_ID!,
  limits: JSON.parse(process.env.KILL_CHILD_LIMITS ?? "{}"),
  connect: (account) =>
    openAccountConnection(account, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" }, onCommand: (line) => (requested += countBodyFetchUids(line)) }),
  onProgress: () => process.stdout.write("commit\n"),
});
process.stdout.write(`${JSON.stringify({ outcome: summary.outcome, fetched: summary.fetched, requested, error: summary.error ?? null })}\n`);
await connection.close();
