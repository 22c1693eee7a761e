import { ZodError } from "zod";
import { commands } from "./cli/commands";
import { CliError, parseArgs } from "./cli/args";

// Operator CLI: `npm run cli -- <command> [args]`. Every command prints one JSON document on stdout.
async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const loadCommand = name ? commands[name] : undefined;
  if (!loadCommand) {
    const usage = { error: name ? `Unknown command "${name}"` : "No command given", commands: Object.keys(commands).sort() };
    process.stdout.write(JSON.stringify(usage, null, 2) + "\n");
    process.exitCode = 2;
    return;
  }
  const { openCliDatabase } = await import("./cli/database");
  let database: Awaited<ReturnType<typeof openCliDatabase>> | undefined;
  try {
    // Inside the try: a refused database (e.g. the embedded one held by the app) is reported as JSON too.
    database = await openCliDatabase();
    const command = await loadCommand();
    const result = await command(parseArgs(rest), database.db);
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: errorMessage(error) }, null, 2) + "\n");
    process.exitCode = error instanceof CliError ? error.exitCode : error instanceof ZodError ? 2 : 1;
  } finally {
    await database?.close();
  }
}

await main();

// A ZodError's own message is a JSON dump of its issues; the operator needs the rule that was broken.
function errorMessage(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ` : "") + issue.message).join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}
