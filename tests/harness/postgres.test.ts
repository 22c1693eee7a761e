import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { expect, test } from "vitest";
import { findPostgresBin, startPostgres } from "@/tests/support/postgres";

// The throwaway cluster every test run relies on (tests/support/global-setup.ts starts one like this).
test("startPostgres gives a working Postgres 15 without durability, and stop removes every trace", async () => {
  const cluster = await startPostgres();
  try {
    const sql = postgres(cluster.url(), { max: 1, onnotice: () => {} });
    const [row] = await sql<{ version: number; fsync: string; listen: string }[]>`
      select current_setting('server_version_num')::int as version, current_setting('fsync') as fsync,
             current_setting('listen_addresses') as listen`;
    await sql.end();
    expect(Math.floor(row!.version / 10000)).toBe(15);
    expect(row).toMatchObject({ fsync: "off", listen: "127.0.0.1" });
    expect(cluster.dir.startsWith(os.tmpdir())).toBe(true);
    expect(fs.existsSync(path.join(cluster.dir, "data", "PG_VERSION"))).toBe(true);
  } finally {
    await cluster.stop();
  }
  expect(fs.existsSync(cluster.dir)).toBe(false);
  expect(await canConnect(cluster.port)).toBe(false);
});

test("missing server binaries give a message that says what to install", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-nopg-"));
  try {
    expect(() => findPostgresBin({}, empty)).toThrow(/initdb, pg_ctl.*apt-get install postgresql.*THREADLINE_PG_BIN/s);
    expect(() => findPostgresBin({ THREADLINE_PG_BIN: "/nonexistent" }, empty)).toThrow("were not found");
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test("THREADLINE_PG_BIN and newer installed versions are used when 15 is absent", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-fakepg-"));
  try {
    for (const version of ["14", "16"]) {
      fs.mkdirSync(path.join(root, version, "bin"), { recursive: true });
      for (const tool of ["initdb", "pg_ctl"]) fs.writeFileSync(path.join(root, version, "bin", tool), "");
    }
    expect(findPostgresBin({}, root)).toBe(path.join(root, "16", "bin"));
    expect(findPostgresBin({ THREADLINE_PG_BIN: path.join(root, "14", "bin") }, root)).toBe(path.join(root, "14", "bin"));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
