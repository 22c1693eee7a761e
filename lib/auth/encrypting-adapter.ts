import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import type { Database } from "@/db/connect";
import { authAccounts, sessions, users, verificationTokens } from "@/db/schema";
import { encryptOptional } from "@/lib/crypto/secret-box";
import { createUserWithPersonalOrg } from "./create-user";

/**
 * The Drizzle adapter, with two changes: provider tokens are encrypted before they are written
 * (the accounts table refuses plaintext), and a new user gets a personal organisation in the
 * same transaction as the user row.
 */
export function encryptingAdapter(db: Database): Adapter {
  const base = DrizzleAdapter(db, {
    usersTable: users,
    accountsTable: authAccounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  return {
    ...base,
    async createUser(data: AdapterUser) {
      const user = await createUserWithPersonalOrg(db, data);
      return { ...user, email: user.email ?? data.email };
    },
    async linkAccount(account: AdapterAccount) {
      await base.linkAccount!(encryptAccountTokens(account));
    },
  };
}

export function encryptAccountTokens(account: AdapterAccount): AdapterAccount {
  return {
    ...account,
    access_token: encryptOptional(account.access_token) ?? undefined,
    refresh_token: encryptOptional(account.refresh_token) ?? undefined,
    id_token: encryptOptional(account.id_token) ?? undefined,
  };
}
