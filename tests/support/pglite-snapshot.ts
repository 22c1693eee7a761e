import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";

// Keep in step with db/connect.ts: a snapshot only loads into a PGlite with the same extensions.
export const pgliteExtensions = { pg_trgm, btree_gin };

const migrationsFolder = path.join(process.cwd(), "drizzle");

/**
 * A fresh PGlite costs ~4 s (initdb in WASM) before migrations; loading a migrated data-dir tarball
 * costs ~0.7 s. The tarball is cached in /tmp, keyed by the migrations and the PGlite version, so
 * only the first run after a schema change pays for it.
 */
export async function ensurePgliteSnapshot(): Promise<string> {
  const cacheDir = path.join(os.tmpdir(), "threadline-test-cache");
  const file = path.join(cacheDir, `pglite-${snapshotKey()}.tar`);
  if (fs.existsSync(file)) return file;

  fs.mkdirSync(cacheDir, { recursive: true });
  const client = new PGlite({ extensions: pgliteExtensions });
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    // Uncompressed: 40 MB on disk but loads ~40% faster than gzip.
    const tarball = await client.dumpDataDir("none");
    // Written under a unique name then renamed, so parallel runs never read a half-written file.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await client.close();
  }
  removeOtherSnapshots(cacheDir, file);
  return file;
}

function snapshotKey(): string {
  const hash = crypto.createHash("sha256");
  const pglitePackage = JSON.parse(fs.readFileSync(packageJsonPath("@electric-sql/pglite"), "utf8")) as { version: string };
  hash.update(pglitePackage.version);
  for (const file of listFiles(migrationsFolder).sort()) {
    hash.update(path.relative(migrationsFolder, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function packageJsonPath(name: string): string {
  return path.join(process.cwd(), "node_modules", name, "package.json");
}

function removeOtherSnapshots(cacheDir: string, keep: string) {
  for (const name of fs.readdirSync(cacheDir)) {
    const full = path.join(cacheDir, name);
    if (full === keep || !name.startsWith("pglite-")) continue;
    // Older than a day: another checkout running right now may still be using a recent one.
    const ageMs = Date.now() - fs.statSync(full).mtimeMs;
    if (ageMs > 24 * 3600_000) fs.rmSync(full, { force: true });
  }
}
