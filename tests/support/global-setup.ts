import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { connect } from "@/db/connect";
import { ensurePgliteSnapshot } from "./pglite-snapshot";
import { type PostgresCluster, startPostgres } from "./postgres";
import "./provided-context";

const TEMPLATE_DATABASE = "threadline_template";

/**
 * Runs once per `vitest` invocation, in the main process: one throwaway Postgres cluster with a
 * migrated template database (every test file clones it) and a migrated PGlite snapshot.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const [cluster, pgliteSnapshot] = await Promise.all([startTemplateCluster(), ensurePgliteSnapshot()]);

  // Vitest exits straight from its SIGINT/SIGTERM handlers without running teardown: clean up on exit.
  const onExit = () => cluster.stopSync();
  process.once("exit", onExit);

  project.provide("postgresAdminUrl", cluster.url("postgres"));
  project.provide("postgresTemplate", TEMPLATE_DATABASE);
  project.provide("pgliteSnapshot", pgliteSnapshot);
  if (process.env.THREADLINE_TEST_VERBOSE) console.log(`test databases ready in ${Date.now() - started} ms (${cluster.url()})`);

  return async () => {
    process.off("exit", onExit);
    await cluster.stop();
  };
}

async function startTemplateCluster(): Promise<PostgresCluster> {
  const cluster = await startPostgres();
  try {
    const admin = postgres(cluster.url("postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    const template = connect({ ...process.env, DATABASE_URL: cluster.url(TEMPLATE_DATABASE) });
    try {
      await template.migrate();
    } finally {
      await template.close();
    }
    // A template must have no sessions while it is cloned; refusing connections keeps it that way.
    await admin.unsafe(`ALTER DATABASE ${TEMPLATE_DATABASE} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
    await admin.end({ timeout: 5 });
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
