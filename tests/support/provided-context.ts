// Values tests/support/global-setup.ts hands to every test file; read them with `inject(...)` from vitest.
declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the run's throwaway Postgres 15 (`postgres` database). */
    postgresAdminUrl: string;
    /** Name of the migrated template database that test databases are cloned from. */
    postgresTemplate: string;
    /** Path of a migrated PGlite data-dir tarball (load with `loadDataDir`). */
    pgliteSnapshot: string;
  }
}

export {};
