import { asc, eq } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { authAccounts, mailAccounts } from "@/db/schema";
import { decryptSecret, encryptSecret, generateKeyEntry, keyIdOf, parseKeyRing } from "@/lib/crypto/secret-box";
import { runCli } from "@/tests/cli/run-cli";
import { insertMailAccount, insertOrganization, insertUser } from "@/tests/support/fixtures";
import { fileTestDatabase } from "@/tests/support/test-database";

/*
 * `npm run cli -- keys:rotate` in a child process against Postgres: every secret column (mail
 * account passwords and tokens, Auth.js account tokens) ends up under the new key with the same
 * plaintext; a second run has nothing to do; a secret under a key that is not configured stops it
 * before anything changes.
 */

vi.setConfig({ testTimeout: 180_000 });

const OLD = generateKeyEntry("old");
const NEW = generateKeyEntry("new");
const oldRing = parseKeyRing(OLD);
const bothRing = parseKeyRing(`${NEW},${OLD}`);

const database = fileTestDatabase({ engine: "postgres" });
const plaintexts = new Map<string, string>();

beforeAll(async () => {
  const db = database.db;
  const org = await insertOrganization(db);
  const seal = (value: string) => {
    const sealed = encryptSecret(value, oldRing);
    plaintexts.set(sealed, value);
    return sealed;
  };
  for (let i = 0; i < 7; i++) {
    await insertMailAccount(db, org.id, { encryptedPassword: seal(`imap-password-${i}`) });
    await insertMailAccount(db, org.id, {
      provider: "gmail",
      authKind: "oauth2",
      encryptedPassword: null,
      encryptedAccessToken: seal(`ya29.access-${i}`),
      encryptedRefreshToken: seal(`1//refresh-${i}`),
      tokenExpiresAt: new Date(Date.now() + 3_600_000),
    });
  }
  const user = await insertUser(db);
  await db.insert(authAccounts).values({ userId: user.id, type: "oidc", provider: "google", providerAccountId: "g-1", access_token: seal("at-1"), refresh_token: seal("rt-1"), id_token: seal("id-1") });
  await db.insert(authAccounts).values({ userId: user.id, type: "oidc", provider: "microsoft-entra-id", providerAccountId: "m-1", access_token: seal("at-2") });
});

const rotate = (keys: string) => runCli(["keys:rotate"], { DATABASE_URL: database.url, THREADLINE_DATA_DIR: undefined, THREADLINE_ENCRYPTION_KEYS: keys });

async function allSecrets(): Promise<string[]> {
  const accounts = await database.db.select().from(mailAccounts).orderBy(asc(mailAccounts.id));
  const auth = await database.db.select().from(authAccounts).orderBy(asc(authAccounts.providerAccountId));
  return [
    ...accounts.flatMap((a) => [a.encryptedPassword, a.encryptedAccessToken, a.encryptedRefreshToken]),
    ...auth.flatMap((a) => [a.access_token, a.refresh_token, a.id_token]),
  ].filter((v): v is string => v !== null);
}

it("re-encrypts every secret under the new key, keeps every plaintext, and reports counts", async () => {
  const before = await allSecrets();
  expect(before).toHaveLength(7 + 14 + 4);
  const result = await rotate(`${NEW},${OLD}`);
  expect(result.code).toBe(0);
  expect(result.json).toMatchObject({
    ok: true,
    currentKey: "new",
    before: { old: 25 },
    reencrypted: {
      "mail_accounts.encrypted_password": 7,
      "mail_accounts.encrypted_access_token": 7,
      "mail_accounts.encrypted_refresh_token": 7,
      "accounts.access_token": 2,
      "accounts.refresh_token": 1,
      "accounts.id_token": 1,
    },
    total: { secrets: 25, reencrypted: 25, alreadyCurrent: 0, changedMeanwhile: 0 },
  });
  const after = await allSecrets();
  expect(after.every((v) => keyIdOf(v) === "new")).toBe(true);
  expect(after.map((v) => decryptSecret(v, bothRing)).sort()).toEqual(before.map((v) => plaintexts.get(v)!).sort());
  // The old key alone can read none of them any more.
  expect(() => decryptSecret(after[0]!, oldRing)).toThrow(/"new" is not configured/);
});

it("a second run has nothing left to do", async () => {
  const result = await rotate(`${NEW},${OLD}`);
  expect(result.json).toMatchObject({ ok: true, before: { new: 25 }, total: { secrets: 25, reencrypted: 0, alreadyCurrent: 25 } });
});

it("refuses to start when a secret uses a key that is not configured, changing nothing", async () => {
  const [account] = await database.db.select().from(mailAccounts).limit(1);
  const lost = generateKeyEntry("lost");
  await database.db.update(mailAccounts).set({ encryptedPassword: encryptSecret("pw", parseKeyRing(lost)) }).where(eq(mailAccounts.id, account!.id));
  const before = await allSecrets();
  const result = await rotate(`${generateKeyEntry("newer")},${NEW}`);
  expect(result.code).toBe(1);
  expect(result.json).toEqual({ error: expect.stringMatching(/keys that are not configured: "lost" \(1\).*Nothing was changed/) });
  expect(await allSecrets()).toEqual(before);
});
