import { eq } from "drizzle-orm";
import { beforeAll, expect, test, vi } from "vitest";
import { organizations } from "@/db/schema";
import { ingestMessages } from "@/lib/ingest/ingest-messages";
import { type CliEnv, runCli } from "@/tests/cli/run-cli";
import { createAccount, incoming, mail } from "@/tests/ingest/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";

// `npm run cli -- search --org <slug> <query>` against Postgres, in a child process.
const database = fileTestDatabase({ engine: "postgres" });
let env: CliEnv;
let slug: string;
beforeAll(async () => {
  env = { DATABASE_URL: database.url, THREADLINE_DATA_DIR: undefined };
  const account = await createAccount(database.db);
  const [org] = await database.db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, account.orgId));
  slug = org!.slug;
  const items = [
    await incoming(mail({ from: "Alice <alice@acme.example>", to: "me@example.com", subject: "Pipeline capacity report", date: "Mon, 14 May 2001 10:00:00 +0000", messageId: "c1@x", body: "Quarterly numbers." })),
    await incoming(mail({ from: "bob@acme.example", to: "me@example.com", subject: "Lunch", date: "Tue, 15 May 2001 10:00:00 +0000", messageId: "c2@x", body: "Tacos." })),
  ];
  await database.db.transaction((tx) => ingestMessages(tx, account, items));
});
vi.setConfig({ testTimeout: 180_000 });

test("prints ranked results as JSON with marked snippets", async () => {
  const result = await runCli(["search", "--org", slug, "quarterly", "numbers"], env);
  expect(result.code).toBe(0);
  expect(result.json).toMatchObject({
    query: "quarterly numbers",
    total: 1,
    results: [{ subject: "Pipeline capacity report", from: "Alice <alice@acme.example>", snippet: expect.stringContaining("[Quarterly]") }],
  });
});

test("a missing query or an unknown organisation is a clear error", async () => {
  expect(await runCli(["search", "--org", slug], env)).toMatchObject({ code: 2, json: { error: expect.stringContaining("<query> is required") } });
  expect(await runCli(["search", "--org", "no-such-org", "tacos"], env)).toMatchObject({ code: 2, json: { error: 'No organisation with slug "no-such-org"' } });
});
