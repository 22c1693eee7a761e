import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import * as t from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { SQLSTATE, expectDatabaseError } from "@/tests/support/db-errors";
import { insertMailAccount, insertOrganization, insertUser, testKeyRing } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";

// Every column holding a credential has a CHECK constraint so that a code path that forgets to
// encrypt fails loudly instead of storing a password or token in clear.
const database = fileTestDatabase();
const plaintexts = ["hunter2", "ya29.a0AfH6SMBx-google-access-token", "", "TLENC:k1:uppercase-is-not-ours"];

const mailAccountColumns = [
  ["encryptedPassword", "mail_accounts_password_encrypted"],
  ["encryptedAccessToken", "mail_accounts_access_token_encrypted"],
  ["encryptedRefreshToken", "mail_accounts_refresh_token_encrypted"],
] as const;

const authAccountColumns = [
  ["access_token", "accounts_access_token_encrypted"],
  ["refresh_token", "accounts_refresh_token_encrypted"],
  ["id_token", "accounts_id_token_encrypted"],
] as const;

describe.each(mailAccountColumns)("mail_accounts.%s", (column, constraint) => {
  test.each(plaintexts)("refuses plaintext %j on insert", async (plaintext) => {
    const org = await insertOrganization(database.db);
    const error = await expectDatabaseError(insertMailAccount(database.db, org.id, { encryptedPassword: null, [column]: plaintext }));
    expect(error.code).toBe(SQLSTATE.checkViolation);
    expect(error.constraint).toBe(constraint);
  });

  test("refuses plaintext on update, accepts and returns encryptSecret output", async () => {
    const org = await insertOrganization(database.db);
    const sealed = encryptSecret("s3cret-value", testKeyRing);
    const account = await insertMailAccount(database.db, org.id, { encryptedPassword: null, [column]: sealed });
    expect(decryptSecret(account[column]!, testKeyRing)).toBe("s3cret-value");

    const error = await expectDatabaseError(database.db.update(t.mailAccounts).set({ [column]: "s3cret-value" }).where(eq(t.mailAccounts.id, account.id)));
    expect(error.constraint).toBe(constraint);
    const [stored] = await database.db.select().from(t.mailAccounts).where(eq(t.mailAccounts.id, account.id));
    expect(stored![column]).toBe(sealed);
  });
});

describe.each(authAccountColumns)("accounts.%s (Auth.js)", (column, constraint) => {
  test.each(plaintexts)("refuses plaintext %j", async (plaintext) => {
    const user = await insertUser(database.db);
    const error = await expectDatabaseError(database.db.insert(t.authAccounts).values(authAccount(user.id, { [column]: plaintext })));
    expect(error.code).toBe(SQLSTATE.checkViolation);
    expect(error.constraint).toBe(constraint);
  });

  test("accepts encryptSecret output and null", async () => {
    const user = await insertUser(database.db);
    await database.db.insert(t.authAccounts).values(authAccount(user.id, { [column]: encryptSecret("token", testKeyRing) }));
    const other = await insertUser(database.db);
    await database.db.insert(t.authAccounts).values(authAccount(other.id, { [column]: null }));
    const rows = await database.db.select().from(t.authAccounts).where(eq(t.authAccounts.userId, user.id));
    expect(decryptSecret(rows[0]![column]!, testKeyRing)).toBe("token");
  });
});

function authAccount(userId: string, secrets: Partial<typeof t.authAccounts.$inferInsert>): typeof t.authAccounts.$inferInsert {
  return { userId, type: "oidc", provider: "google", providerAccountId: `sub-${userId}`, ...secrets };
}
