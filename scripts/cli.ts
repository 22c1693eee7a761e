import { commands } from "./cli/commands";
import { CliError, parseArgs } from "./cli/args";

// Operator CLI: `npm run cli -- <command> [args]`. Every command prints one JSON document on stdout.
async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    const usage = { error: name ? `Unknown command "${name}"` : "No command given", commands: Object.keys(commands).sort() };
    process.stdout.write(JSON.stringify(usage, null, 2) + "\n");
    process.exitCode = 2;
    return;
  }
  const { openCliDatabase } = await import("./cli/database");
  const database = await openCliDatabase();
  try {
    const result = await command(parseArgs(rest), database.db);
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(JSON.stringify({ error: message }, null, 2) + "\n");
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  } finally {
    await database.close();
  }
}

await main();
