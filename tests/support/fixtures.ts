import crypto from "node:crypto";
import type { Database } from "@/db/connect";
import * as t from "@/db/schema";
import { recountContactAccounts } from "@/lib/contacts/contact-accounts";
import { encryptSecret, parseKeyRing } from "@/lib/crypto/secret-box";
import type { DovecotServer, DovecotUser } from "./dovecot";

// Row builders for tests that need data in the tables without going through the app's code paths.

export const testKeyRing = parseKeyRing(`fixture:${Buffer.alloc(32, 1).toString("base64")}`);

export function uniqueSuffix(): string {
  return crypto.randomBytes(4).toString("hex");
}

export async function insertOrganization(db: Database, slug = `org-${uniqueSuffix()}`) {
  const [org] = await db.insert(t.organizations).values({ slug, name: slug }).returning();
  return org!;
}

export async function insertUser(db: Database, email = `user-${uniqueSuffix()}@example.test`) {
  const [user] = await db.insert(t.users).values({ email, name: email.split("@")[0] }).returning();
  return user!;
}

export async function insertMailAccount(db: Database, orgId: string, overrides: Partial<typeof t.mailAccounts.$inferInsert> = {}) {
  const address = `box-${uniqueSuffix()}@example.test`;
  const [account] = await db
    .insert(t.mailAccounts)
    .values({
      orgId,
      provider: "imap",
      emailAddress: address,
      imapHost: "127.0.0.1",
      imapPort: 993,
      imapUser: address,
      authKind: "password",
      encryptedPassword: encryptSecret("pw", testKeyRing),
      ...overrides,
    })
    .returning();
  return account!;
}

export async function insertMailbox(db: Database, account: { id: string; orgId: string }, pathName = "INBOX") {
  const [mailbox] = await db
    .insert(t.mailboxes)
    .values({ orgId: account.orgId, accountId: account.id, path: pathName, name: pathName.split("/").pop()!, delimiter: "/" })
    .returning();
  return mailbox!;
}

export async function insertMessage(db: Database, account: { id: string; orgId: string }, overrides: Partial<typeof t.messages.$inferInsert> = {}) {
  const [message] = await db
    .insert(t.messages)
    .values({
      orgId: account.orgId,
      accountId: account.id,
      dedupeKey: `sha256:${uniqueSuffix()}`,
      messageIdHeader: `<${uniqueSuffix()}@example.test>`,
      subject: "Hello",
      fromAddress: "alice@example.test",
      sentAt: new Date("2026-01-02T03:04:05Z"),
      textBody: "Hello there",
      participantsText: "alice@example.test",
      ...overrides,
    })
    .returning();
  return message!;
}

/** One organisation with a row in every org-scoped table (for cascade and isolation tests). */
export async function seedOrganizationGraph(db: Database, slug?: string) {
  const org = await insertOrganization(db, slug);
  const user = await insertUser(db);
  await db.insert(t.memberships).values({ orgId: org.id, userId: user.id, role: "owner" });
  await db.insert(t.invitations).values({ orgId: org.id, email: "new@example.test", tokenHash: uniqueSuffix(), invitedBy: user.id, expiresAt: new Date(Date.now() + 86_400_000) });
  await db.insert(t.blockedSenders).values({ orgId: org.id, pattern: "spam.example" });
  await db.insert(t.remoteImageSenders).values({ orgId: org.id, userId: user.id, sender: "news@example.test" });
  const account = await insertMailAccount(db, org.id, { userId: user.id });
  const inbox = await insertMailbox(db, account, "INBOX");
  const [thread] = await db.insert(t.threads).values({ orgId: org.id, subject: "Hello", messageCount: 1 }).returning();
  const message = await insertMessage(db, account, { threadId: thread!.id });
  await db.insert(t.messageLocations).values({ mailboxId: inbox.id, uid: 1, messageId: message.id, orgId: org.id, accountId: account.id });
  await db.insert(t.messageRaw).values({ messageId: message.id, orgId: org.id, source: Buffer.from("Subject: Hello\r\n\r\nHello there\r\n") });
  const [contact] = await db.insert(t.contacts).values({ orgId: org.id, email: "alice@example.test", domain: "example.test", messageCount: 1 }).returning();
  await db.insert(t.messageParticipants).values({ messageId: message.id, orgId: org.id, role: "from", email: "alice@example.test", contactId: contact!.id });
  await recountContactAccounts(db, org.id, [contact!.id]);
  await db.insert(t.attachments).values({ messageId: message.id, orgId: org.id, contentType: "text/plain", size: 3, content: Buffer.from("abc") });
  await db.insert(t.syncRuns).values({ orgId: org.id, accountId: account.id, mailboxId: inbox.id, outcome: "success" });
  return { org, user, account, inbox, thread: thread!, message, contact: contact! };
}

/** An organisation and an IMAP account for a Dovecot user, its password sealed with the process's own keys (the sync opens it). */
export async function insertImapAccount(db: Database, server: DovecotServer, slug = `org-${Math.random().toString(36).slice(2, 10)}`, user: DovecotUser = server.users[0]!) {
  const [org] = await db.insert(t.organizations).values({ slug, name: slug }).returning();
  const [account] = await db
    .insert(t.mailAccounts)
    .values({
      orgId: org!.id,
      provider: "imap",
      emailAddress: user.user,
      imapHost: server.host,
      imapPort: server.port,
      imapSecurity: "none",
      imapUser: user.user,
      authKind: "password",
      encryptedPassword: encryptSecret(user.password),
    })
    .returning();
  return account!;
}
