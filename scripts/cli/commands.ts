import type { Database } from "@/db/connect";
import type { CliArgs } from "./args";

export type Command = (args: CliArgs, db: Database) => Promise<unknown>;

// Each command is loaded only when it runs: the sync commands pull in imapflow and mailparser, which
// would otherwise slow every call, even `org:list`, by seconds. Register new ones here.
export const commands: Record<string, () => Promise<Command>> = {
  migrate: async () => (await import("./migrate")).migrate,
  "org:create": async () => (await import("./orgs")).orgCreate,
  "org:list": async () => (await import("./orgs")).orgList,
  search: async () => (await import("./search")).search,
  "account:add": async () => (await import("./accounts")).accountAdd,
  sync: async () => (await import("./sync")).sync,
  stats: async () => (await import("./sync")).stats,
  "keys:rotate": async () => (await import("./keys")).keysRotate,
};
