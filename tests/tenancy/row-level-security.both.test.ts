import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { APP_ROLE, runAsOrg } from "@/lib/tenancy/run-as-org";
import { expectDatabaseError } from "@/tests/support/db-errors";
import { seedOrganizationGraph } from "@/tests/support/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/*
 * The second wall (drizzle/0005_row_level_security.sql): as threadline_app with organisation A set,
 * Postgres itself shows and changes only A's rows, in every table that has an org_id column, read
 * from the catalogue so a new table is covered (and fails here until it has its policy).
 */

const INSUFFICIENT_PRIVILEGE = "42501";

let testDb: TestDatabase;
let a: Awaited<ReturnType<typeof seedOrganizationGraph>>;
let b: Awaited<ReturnType<typeof seedOrganizationGraph>>;
let orgTables: string[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  a = await seedOrganizationGraph(testDb.db);
  b = await seedOrganizationGraph(testDb.db);
  orgTables = (
    await queryRows<{ name: string }>(
      testDb.db,
      sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
          join pg_attribute att on att.attrelid = c.oid and att.attname = 'org_id' and not att.attisdropped
          where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    )
  ).map((r) => r.name);
});

afterAll(async () => {
  await testDb?.close();
});

/** Runs `work` as the application role with `orgId` set (null: the role with no organisation). */
function as<T>(orgId: string | null, work: (db: Database) => Promise<T>): Promise<T> {
  if (orgId) return runAsOrg({ orgId }, work, testDb.db);
  return testDb.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true)`);
    return work(tx as unknown as Database);
  });
}

const rows = <T>(db: Database, query: SQL) => queryRows<T>(db, query);
const table = (name: string) => sql.identifier(name);

async function countByOrg(name: string) {
  const [row] = await rows<{ a: number; b: number }>(
    testDb.db,
    sql`select count(*) filter (where org_id = ${a.org.id})::int as a, count(*) filter (where org_id = ${b.org.id})::int as b from ${table(name)}`,
  );
  return row!;
}

describe("the request's transaction", () => {
  it("runs as the application role, in its organisation, without JIT (compiling a query passing jit_above_cost took 120 ms)", async () => {
    const [row] = await as(a.org.id, (db) =>
      rows<{ role: string; org: string; jit: string }>(db, sql`select current_user as role, current_setting('threadline.org_id') as org, current_setting('jit') as jit`),
    );
    expect(row).toEqual({ role: APP_ROLE, org: a.org.id, jit: "off" });
  });
});

describe("the catalogue", () => {
  it("finds the organisation tables (sanity: the query cannot come back empty unnoticed)", () => {
    expect(orgTables).toEqual(expect.arrayContaining(["mail_accounts", "messages", "memberships", "contacts", "attachments", "message_raw"]));
  });

  it("has row-level security enabled on every table of the schema", async () => {
    const tables = await rows<{ name: string; rls: boolean }>(
      testDb.db,
      sql`select c.relname as name, c.relrowsecurity as rls from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    );
    expect(tables.length).toBeGreaterThan(orgTables.length);
    expect(tables.filter((t) => !t.rls).map((t) => t.name), "tables without ENABLE ROW LEVEL SECURITY").toEqual([]);
  });

  it("gives every table with org_id exactly one policy: threadline_app, all commands, org_id = the transaction's organisation", async () => {
    const policies = await rows<{ table: string; name: string; roles: string; cmd: string; qual: string | null; check: string | null }>(
      testDb.db,
      sql`select tablename as "table", policyname as name, roles::text as roles, cmd, qual, with_check as "check" from pg_policies where schemaname = 'public'`,
    );
    for (const name of orgTables) {
      const own = policies.filter((p) => p.table === name);
      expect(own, `policies of ${name}`).toHaveLength(1);
      expect(own[0], name).toMatchObject({ roles: `{${APP_ROLE}}`, cmd: "ALL" });
      expect(own[0]!.qual, name).toMatch(/^\(?org_id = threadline_current_org\(\)\)?$/);
      expect(own[0]!.check, name).toMatch(/^\(?org_id = threadline_current_org\(\)\)?$/);
    }
    // The other policies: no table is opened to anyone but the application role, and only these two.
    const others = policies.filter((p) => !orgTables.includes(p.table));
    expect(others.map((p) => `${p.table}.${p.name}:${p.roles}:${p.cmd}`).sort()).toEqual([
      `organizations.tenant_isolation:{${APP_ROLE}}:ALL`,
      `users.organisation_people:{${APP_ROLE}}:SELECT`,
    ]);
  });

  it("the application role cannot bypass row-level security and holds no owner's rights", async () => {
    const [role] = await rows<{ super: boolean; bypass: boolean; login: boolean; owner: boolean }>(
      testDb.db,
      sql`select r.rolsuper as super, r.rolbypassrls as bypass, r.rolcanlogin as login,
                 exists (select 1 from pg_tables t where t.schemaname = 'public' and pg_has_role(r.oid, t.tableowner, 'USAGE')) as owner
          from pg_roles r where r.rolname = ${APP_ROLE}`,
    );
    expect(role).toEqual({ super: false, bypass: false, login: false, owner: false });
  });
});

describe("as threadline_app with organisation A", () => {
  it("every organisation table shows A's rows and none of B's (the seed has rows of both in each)", async () => {
    for (const name of orgTables) {
      const owner = await countByOrg(name);
      expect(owner.a, `${name}: seedOrganizationGraph must put a row in every org table`).toBeGreaterThan(0);
      expect(owner.b, name).toBeGreaterThan(0);
      const [seen] = await as(a.org.id, (db) =>
        rows<{ total: number; foreign: number }>(db, sql`select count(*)::int as total, count(*) filter (where org_id <> ${a.org.id})::int as "foreign" from ${table(name)}`),
      );
      expect(seen, name).toEqual({ total: owner.a, foreign: 0 });
    }
  });

  it("updates and deletes of B's rows affect nothing", async () => {
    for (const name of orgTables) {
      const before = await countByOrg(name);
      const changed = await as(a.org.id, async (db) => [
        ...(await rows(db, sql`update ${table(name)} set org_id = org_id where org_id = ${b.org.id} returning 1`)),
        ...(await rows(db, sql`delete from ${table(name)} where org_id = ${b.org.id} returning 1`)),
      ]);
      expect(changed, name).toEqual([]);
      expect(await countByOrg(name), name).toEqual(before);
    }
  });

  it("refuses to insert a row into B or to move one of A's rows to B", async () => {
    for (const name of orgTables) {
      const [copy] = await rows<{ row: Record<string, unknown> }>(testDb.db, sql`select row_to_json(t) as row from ${table(name)} t where org_id = ${b.org.id} limit 1`);
      const columns = (
        await rows<{ name: string }>(
          testDb.db,
          sql`select attname as name from pg_attribute where attrelid = ${name}::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
        )
      ).map((c) => sql.identifier(c.name));
      const list = sql.join(columns, sql`, `);
      const record = typeof copy!.row === "string" ? copy!.row : JSON.stringify(copy!.row);
      const insert = await expectDatabaseError(
        as(a.org.id, (db) => db.execute(sql`insert into ${table(name)} (${list}) select ${list} from json_populate_record(null::${table(name)}, ${record}::json)`)),
      );
      expect(insert.code, `${name}: ${insert.message}`).toBe(INSUFFICIENT_PRIVILEGE);
      const move = await expectDatabaseError(as(a.org.id, (db) => db.execute(sql`update ${table(name)} set org_id = ${b.org.id} where org_id = ${a.org.id}`)));
      expect(move.code, `${name}: ${move.message}`).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });

  it("sees only its own organisation, and only the people it knows", async () => {
    const orgs = await as(a.org.id, (db) => rows<{ id: string }>(db, sql`select id from organizations`));
    expect(orgs.map((o) => o.id)).toEqual([a.org.id]);
    const renamed = await as(a.org.id, (db) => rows(db, sql`update organizations set name = 'taken' where id = ${b.org.id} returning 1`));
    expect(renamed).toEqual([]);
    const people = await as(a.org.id, (db) => rows<{ id: string }>(db, sql`select id from users`));
    expect(people.map((p) => p.id)).toEqual([a.user.id]);
    await expect(as(a.org.id, (db) => db.execute(sql`delete from organizations where id = ${a.org.id}`))).rejects.toThrow();
  });

  it("cannot read sign-in data at all (OAuth tokens, sessions, magic links)", async () => {
    for (const name of ["accounts", "sessions", "verificationTokens"]) {
      const error = await expectDatabaseError(as(a.org.id, (db) => db.execute(sql`select count(*) from ${table(name)}`)));
      expect(error.code, name).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });
});

describe("without an organisation", () => {
  it("sees nothing anywhere", async () => {
    for (const name of [...orgTables, "organizations", "users"]) {
      const [seen] = await as(null, (db) => rows<{ n: number }>(db, sql`select count(*)::int as n from ${table(name)}`));
      expect(seen, name).toEqual({ n: 0 });
    }
  });
});

describe("the application role cannot switch the wall off", () => {
  const refusals: [string, SQL[]][] = [
    // Settable, but then every query on a table with a policy fails instead of ignoring the policy.
    ["row_security = off", [sql`set local row_security = off`, sql`select count(*) from messages`]],
    ["disable row level security", [sql`alter table messages disable row level security`]],
    ["drop the policy", [sql`drop policy tenant_isolation on messages`]],
    ["add a wider policy", [sql`create policy everything on messages for select to threadline_app using (true)`]],
    ["grant itself bypassrls", [sql`alter role threadline_app bypassrls`]],
    ["truncate a table", [sql`truncate messages`]],
  ];
  for (const [what, statements] of refusals) {
    it(`refuses: ${what}`, async () => {
      const error = await expectDatabaseError(
        as(a.org.id, async (db) => {
          for (const statement of statements) await db.execute(statement);
        }),
      );
      expect(error.code, error.message).toBe(INSUFFICIENT_PRIVILEGE);
    });
  }

  it("the role and the organisation end with the transaction", async () => {
    await as(a.org.id, async () => {});
    const [after] = await rows<{ role: string; org: string | null }>(testDb.db, sql`select current_user as role, nullif(current_setting('threadline.org_id', true), '') as org`);
    expect(after!.role).not.toBe(APP_ROLE);
    expect(after!.org).toBeNull();
  });
});
