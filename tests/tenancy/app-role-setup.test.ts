import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { APP_ROLE, runAsOrg } from "@/lib/tenancy/run-as-org";
import { insertOrganization } from "@/tests/support/fixtures";
import { testPostgresUrl } from "@/tests/support/test-database";

/*
 * Self-hosting on a managed Postgres: the app's user owns its database but is no superuser and may
 * not create roles. Migration 0005 then needs threadline_app granted to it by an administrator, says
 * so in plain words until it is, and works once it is.
 */

const owner = `tl_owner_${crypto.randomBytes(3).toString("hex")}`;
const database = `tl_selfhost_${crypto.randomBytes(3).toString("hex")}`;
const admin = () => postgres(testPostgresUrl(), { max: 1, onnotice: () => {} });

beforeAll(async () => {
  const sqlAdmin = admin();
  try {
    await sqlAdmin.unsafe(`create role ${owner} login nosuperuser nocreaterole`);
    await sqlAdmin.unsafe(`create database ${database} owner ${owner}`);
  } finally {
    await sqlAdmin.end({ timeout: 5 });
  }
});

afterAll(async () => {
  const sqlAdmin = admin();
  try {
    await sqlAdmin.unsafe(`drop database if exists ${database} with (force)`);
    await sqlAdmin.unsafe(`drop role if exists ${owner}`);
  } finally {
    await sqlAdmin.end({ timeout: 5 });
  }
});

it("a non-superuser owner: a clear refusal until threadline_app is granted to it, then row-level security works", async () => {
  const url = new URL(testPostgresUrl(database));
  url.username = owner;
  const first = connect({ ...process.env, DATABASE_URL: url.toString() });
  try {
    const refused = await first.migrate().then(() => null, (error: Error & { cause?: Error }) => error.cause?.message ?? error.message);
    expect(refused).toContain(`is not a member of it: as a superuser run GRANT threadline_app TO ${owner};`);
  } finally {
    await first.close();
  }

  const sqlAdmin = admin();
  try {
    await sqlAdmin.unsafe(`grant ${APP_ROLE} to ${owner}`);
  } finally {
    await sqlAdmin.end({ timeout: 5 });
  }

  const app = connect({ ...process.env, DATABASE_URL: url.toString() });
  try {
    await app.migrate();
    const a = await insertOrganization(app.db);
    const b = await insertOrganization(app.db);
    const seen = await runAsOrg({ orgId: a.id }, (db) => queryRows<{ id: string; role: string }>(db, sql`select id, current_user as role from organizations`), app.db);
    expect(seen).toEqual([{ id: a.id, role: APP_ROLE }]);
    expect(b.id).not.toBe(a.id);
  } finally {
    await app.close();
  }
});
