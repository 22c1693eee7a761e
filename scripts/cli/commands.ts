import type { Database } from "@/db/connect";
import type { CliArgs } from "./args";
import { accountAdd } from "./accounts";
import { keysRotate } from "./keys";
import { migrate } from "./migrate";
import { orgCreate, orgList } from "./orgs";
import { search } from "./search";
import { stats, sync } from "./sync";

export type Command = (args: CliArgs, db: Database) => Promise<unknown>;

// Later capabilities register their commands here, one file each in this folder.
export const commands: Record<string, Command> = {
  migrate,
  "org:create": orgCreate,
  "org:list": orgList,
  search,
  "account:add": accountAdd,
  sync,
  stats,
  "keys:rotate": keysRotate,
};
