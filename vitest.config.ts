import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

/*
 * Test layout (run everything with `npm test`; one project with `npx vitest run --project <name>`):
 *
 * - project "postgres": every `*.test.ts(x)` outside e2e/ (unit tests beside the source, integration
 *   tests in tests/), with TEST_DB_ENGINE=postgres: `createTestDatabase()` from
 *   tests/support/test-database.ts clones a migrated template on the run's throwaway Postgres 15.
 * - project "pglite": re-runs the database-level tests against PGlite (the embedded default engine),
 *   with TEST_DB_ENGINE=pglite. It picks up `tests/db/**` and, anywhere in the tree, files named
 *   `*.both.test.ts`: name a test file that way when its behaviour must hold on both engines.
 * - project "e2e": `e2e/**\/*.test.ts` (browser tests with Chromium against a real Next server), run
 *   after the other projects, one file at a time, with long timeouts.
 *
 * tests/support/global-setup.ts runs once per invocation: it starts the Postgres cluster, migrates the
 * template, builds (or reuses) the PGlite snapshot, and stops the cluster at the end or on exit.
 */

const root = import.meta.dirname;

// A fixed test-only key, so code calling encryptSecret() never writes a key file into the repo.
const TEST_ENCRYPTION_KEYS = `test:${Buffer.alloc(32, 7).toString("base64")}`;

const shared = {
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside a React Server Components bundle.
      "server-only": path.join(root, "tests/support/empty-module.ts"),
    },
  },
};

const sharedEnv = {
  THREADLINE_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
  // Any accidental use of the app's default connection stays in memory, never in ./.data.
  THREADLINE_DATA_DIR: "memory://",
  NEXT_TELEMETRY_DISABLED: "1",
};

// next-auth's ESM imports "next/server" without an extension, which only a bundler resolves.
const inlineDeps = { deps: { inline: ["next-auth"] } };

const notTests = ["**/node_modules/**", "**/.next/**", "**/.data/**", "**/.git/**"];

export default defineConfig({
  ...shared,
  test: {
    globalSetup: ["tests/support/global-setup.ts"],
    // Vitest's default is cores - 1 (a single worker on 2 cores), but these tests mostly wait on other
    // processes (Postgres, Dovecot, CLI children, a Next server): one worker per core overlaps that.
    maxWorkers: Number(process.env.THREADLINE_TEST_WORKERS) || Math.max(2, os.availableParallelism()),
    teardownTimeout: 30_000,
    projects: [
      {
        ...shared,
        test: {
          name: "postgres",
          include: ["**/*.test.{ts,tsx}"],
          exclude: [...notTests, "e2e/**"],
          server: inlineDeps,
          env: { ...sharedEnv, TEST_DB_ENGINE: "postgres" },
          // Generous: timeouts are there to catch hangs, and this machine is often shared and busy.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: "pglite",
          include: ["tests/db/**/*.test.ts", "**/*.both.test.{ts,tsx}"],
          exclude: [...notTests, "e2e/**"],
          server: inlineDeps,
          env: { ...sharedEnv, TEST_DB_ENGINE: "pglite" },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.{ts,tsx}"],
          exclude: notTests,
          server: inlineDeps,
          env: { ...sharedEnv, TEST_DB_ENGINE: "postgres" },
          testTimeout: 120_000,
          // beforeAll may run `next build` (~10 s idle, minutes on a busy 2-core machine).
          hookTimeout: 600_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
