import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type Connection = {
  db: Database;
  kind: "postgres" | "pglite";
  migrate(): Promise<void>;
  close(): Promise<void>;
};

const migrationsFolder = path.join(/*turbopackIgnore: true*/ process.cwd(), "drizzle");

/** The one place that knows which engine backs the app: Postgres with DATABASE_URL, else embedded PGlite. */
export function connect(env: NodeJS.ProcessEnv = process.env): Connection {
  if (env.DATABASE_URL) return connectPostgres(env.DATABASE_URL);
  return connectPglite(embeddedDataDir(env));
}

export function embeddedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.THREADLINE_DATA_DIR === "memory://") return "memory://";
  return path.resolve(/*turbopackIgnore: true*/ env.THREADLINE_DATA_DIR ?? path.join(process.cwd(), ".data"));
}

function connectPostgres(url: string): Connection {
  const client = postgres(url, {
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    onnotice: () => {},
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    migrate: async () => {
      // One dedicated session holds an advisory lock so concurrent starters (app, worker) never race.
      const session = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await session`select pg_advisory_lock(727274)`;
        await migratePostgres(drizzlePostgres({ client: session }), { migrationsFolder });
      } finally {
        await session.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

function connectPglite(dataDir: string): Connection {
  const inMemory = dataDir === "memory://";
  const releaseLock = inMemory ? () => {} : acquireDataDirLock(dataDir);
  // One options object: PGlite ignores the second argument when the first is not a path (memory://).
  const client = new PGlite({ dataDir: inMemory ? undefined : path.join(dataDir, "pglite"), extensions: { pg_trgm, btree_gin } });
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  let closed = false;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(drizzlePglite({ client }), { migrationsFolder }),
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
      releaseLock();
    },
  };
}

/**
 * PGlite has no locking of its own and a second process on the same directory can corrupt it,
 * so the first process to open it takes a pid file and every other one is refused.
 */
function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "pglite.lock");
  const holder = readLockHolder(lockFile);
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by process ${holder} (the app or the worker). ` +
        "Stop that process first, or set DATABASE_URL to use a shared Postgres.",
    );
  }
  fs.writeFileSync(lockFile, String(process.pid));
  const release = () => {
    if (readLockHolder(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
  };
  process.once("exit", release);
  return release;
}

function readLockHolder(lockFile: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lockFile, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
