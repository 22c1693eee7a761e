import crypto from "node:crypto";
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { type Database, connect } from "@/db/connect";
import * as schema from "@/db/schema";
import { pgliteExtensions } from "./pglite-snapshot";
import "./provided-context";

export type TestDatabaseEngine = "postgres" | "pglite";

export type TestDatabase = {
  db: Database;
  kind: TestDatabaseEngine;
  /** Postgres only: a URL for child processes (`DATABASE_URL`), e.g. the CLI or a `next start`. */
  url?: string;
  /** Postgres only: the database name. */
  name?: string;
  /** PGlite only: the raw client, for `client.query(...)`. */
  pglite?: PGlite;
  close(): Promise<void>;
};

/**
 * createTestDatabase for the whole file: created in beforeAll, closed in afterAll. Read it inside
 * tests and hooks (a hook registered after this call runs after the database exists).
 */
export function fileTestDatabase(options: { engine?: TestDatabaseEngine } = {}): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(options);
  }, 60_000);
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as TestDatabase, {
    get(_target, key) {
      if (!current) throw new Error("fileTestDatabase() was read before its beforeAll ran");
      return Reflect.get(current, key);
    },
  });
}

/**
 * A fresh, fully migrated, empty database for one test file (call it in `beforeAll`, close it in
 * `afterAll`). The engine is TEST_DB_ENGINE (set per vitest project; default postgres) unless
 * `engine` is given. Postgres: `CREATE DATABASE ... TEMPLATE` on the run's throwaway cluster (~50 ms),
 * dropped on close. PGlite: an in-memory instance loaded from the migrated snapshot (~0.7 s).
 */
export async function createTestDatabase(options: { engine?: TestDatabaseEngine } = {}): Promise<TestDatabase> {
  const engine = options.engine ?? testDatabaseEngine();
  return engine === "pglite" ? createPgliteDatabase() : createPostgresDatabase();
}

export function testDatabaseEngine(): TestDatabaseEngine {
  const engine = process.env.TEST_DB_ENGINE ?? "postgres";
  if (engine !== "postgres" && engine !== "pglite") throw new Error(`TEST_DB_ENGINE must be "postgres" or "pglite", not "${engine}"`);
  return engine;
}

/** Superuser URL of another database on the run's cluster (for tests that need raw server access). */
export function testPostgresUrl(database = "postgres"): string {
  const url = new URL(inject("postgresAdminUrl"));
  url.pathname = `/${database}`;
  return url.toString();
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `test_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject("postgresTemplate")}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = testPostgresUrl(name);
  const connection = connect({ ...process.env, DATABASE_URL: url });
  let closed = false;
  return {
    db: connection.db,
    kind: "postgres",
    url,
    name,
    close: async () => {
      if (closed) return;
      closed = true;
      await connection.close();
      const dropper = postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => {} });
      try {
        // FORCE: a child process (CLI, next server) may not have disconnected yet.
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const snapshot = new Blob([fs.readFileSync(inject("pgliteSnapshot"))]);
  const client = new PGlite({ loadDataDir: snapshot, extensions: pgliteExtensions });
  await client.waitReady;
  const db = drizzle({ client, schema }) as unknown as Database;
  let closed = false;
  return {
    db,
    kind: "pglite",
    pglite: client,
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
