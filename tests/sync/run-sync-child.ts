// Child process for the crash test: one syncAccount pass, killed by the parent at a random moment.
import { connect } from "@/db/connect";
import { openAccountConnection } from "@/lib/imap/open-account-connection";
import { syncAccount } from "@/lib/sync/sync-account";

const connection = connect({ ...process.env, DATABASE_URL: process.env.SYNC_CHILD_DATABASE_URL });
process.stdout.write("ready\n");
const summary = await syncAccount({
  db: connection.db,
  account: process.env.SYNC_CHILD_ACCOUNT_ID!,
  // Small batches and chunks: many commits, so a kill lands between and inside them.
  limits: { batchMessages: 9, fetchChunk: 40 },
  connect: (account) => openAccountConnection(account, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } }),
  onProgress: () => process.stdout.write("commit\n"),
});
process.stdout.write(`${JSON.stringify({ outcome: summary.outcome, fetched: summary.fetched, error: summary.error ?? null })}\n`);
await connection.close();
