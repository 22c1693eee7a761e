import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { attachments, blockedSenders, contacts, mailAccounts, messageParticipants, messageRaw, messages, threads } from "@/db/schema";
import { recountContactAccounts } from "@/lib/contacts/contact-accounts";

/*
 * Mail rows written straight into the database (no IMAP), for tests of what the screens and the
 * message routes show: a thread, its messages with participants and contacts, attachments (stored or
 * not, inline by Content-ID) and a raw source.
 */

export type SeedAddress = { email: string; name?: string | null };

export type SeedMailMessage = {
  subject?: string | null;
  from: SeedAddress;
  to?: SeedAddress[];
  cc?: SeedAddress[];
  at?: Date;
  text?: string | null;
  html?: string | null;
  snippet?: string | null;
  isBulk?: boolean;
  parseError?: string | null;
  raw?: Buffer;
  attachments?: { filename: string | null; contentType: string; content: Buffer | null; size?: number; contentId?: string | null; inline?: boolean }[];
};

export type SeededMessage = { id: string; attachmentIds: string[] };
export type SeededThread = { id: string; messages: SeededMessage[] };

export async function seedAccount(
  db: Database,
  input: { orgId: string; userId: string | null; email: string; visibility?: "private" | "metadata" | "subject" | "shared"; status?: "active" | "syncing" | "error" | "reconnect_needed" },
) {
  const [row] = await db
    .insert(mailAccounts)
    .values({
      orgId: input.orgId,
      userId: input.userId,
      provider: "imap",
      emailAddress: input.email,
      imapHost: "imap.example.test",
      imapPort: 993,
      imapUser: input.email,
      authKind: "password",
      status: input.status ?? "active",
      visibility: input.visibility ?? "shared",
    })
    .returning();
  return { id: row!.id, email: input.email };
}

/** A thread of messages in one account; contacts are created or counted for every participant. */
export async function seedThread(db: Database, input: { orgId: string; accountId: string; ownAddress: string; messages: SeedMailMessage[] }): Promise<SeededThread> {
  const first = input.messages[0]!;
  const dates = input.messages.map((m, i) => m.at ?? new Date(Date.UTC(2026, 0, 5, 9, i)));
  const [thread] = await db
    .insert(threads)
    .values({
      orgId: input.orgId,
      subject: first.subject ?? null,
      normalizedSubject: (first.subject ?? "").toLowerCase(),
      snippet: input.messages.at(-1)!.snippet ?? null,
      messageCount: input.messages.length,
      firstMessageAt: dates[0],
      lastMessageAt: dates.at(-1),
    })
    .returning();
  const seeded: SeededMessage[] = [];
  const contactIds = new Set<string>();
  for (const [i, m] of input.messages.entries()) {
    const [row] = await db
      .insert(messages)
      .values({
        orgId: input.orgId,
        accountId: input.accountId,
        threadId: thread!.id,
        dedupeKey: crypto.randomUUID(),
        messageIdHeader: `${crypto.randomUUID()}@seed.test`,
        subject: m.subject ?? null,
        fromAddress: m.from.email,
        fromName: m.from.name ?? null,
        sentAt: dates[i],
        snippet: m.snippet ?? (m.text ?? "").slice(0, 120),
        textBody: m.text ?? null,
        htmlBody: m.html ?? null,
        isBulk: m.isBulk ?? false,
        parseError: m.parseError ?? null,
        hasAttachments: (m.attachments ?? []).some((a) => !a.inline),
        size: (m.text ?? m.html ?? "").length + 200,
        participantsText: [m.from, ...(m.to ?? []), ...(m.cc ?? [])].map((p) => p.email).join(" "),
      })
      .returning();
    const people = [
      { role: "from" as const, ...m.from },
      ...(m.to ?? []).map((p) => ({ role: "to" as const, ...p })),
      ...(m.cc ?? []).map((p) => ({ role: "cc" as const, ...p })),
    ];
    for (const p of people) {
      const contactId = p.email === input.ownAddress ? null : await upsertContact(db, input.orgId, p, dates[i]!, m.isBulk ?? false);
      if (contactId) contactIds.add(contactId);
      await db.insert(messageParticipants).values({ messageId: row!.id, orgId: input.orgId, role: p.role, email: p.email, name: p.name ?? null, contactId });
    }
    const attachmentIds: string[] = [];
    for (const a of m.attachments ?? []) {
      const [att] = await db
        .insert(attachments)
        .values({
          messageId: row!.id,
          orgId: input.orgId,
          filename: a.filename,
          contentType: a.contentType,
          size: a.size ?? a.content?.length ?? 0,
          contentId: a.contentId ?? null,
          inline: a.inline ?? false,
          content: a.content,
        })
        .returning();
      attachmentIds.push(att!.id);
    }
    if (m.raw) await db.insert(messageRaw).values({ messageId: row!.id, orgId: input.orgId, source: m.raw });
    seeded.push({ id: row!.id, attachmentIds });
  }
  // As ingest keeps them: the contacts' figures per mailbox.
  await recountContactAccounts(db, input.orgId, [...contactIds]);
  return { id: thread!.id, messages: seeded };
}

async function upsertContact(db: Database, orgId: string, p: SeedAddress, at: Date, bulk: boolean): Promise<string> {
  const [row] = await db
    .insert(contacts)
    .values({ orgId, email: p.email, name: p.name ?? null, domain: p.email.split("@")[1]!, isBulk: bulk, messageCount: 1, firstSeenAt: at, lastSeenAt: at })
    .onConflictDoUpdate({
      target: [contacts.orgId, contacts.email],
      set: {
        messageCount: sql`${contacts.messageCount} + 1`,
        lastSeenAt: sql`greatest(${contacts.lastSeenAt}, excluded.last_seen_at)`,
        firstSeenAt: sql`least(${contacts.firstSeenAt}, excluded.first_seen_at)`,
        isBulk: sql`${contacts.isBulk} and excluded.is_bulk`,
      },
    })
    .returning();
  return row!.id;
}

/** What the cross-tenant tests need in B: one readable message with a stored, an inline and a raw part, and a blocklist entry. */
export async function seedTenantMail(db: Database, orgId: string, accountId: string, tag: string) {
  const thread = await seedThread(db, {
    orgId,
    accountId,
    ownAddress: `mailbox-${tag}@example.test`,
    messages: [
      {
        subject: `Secret plans of ${tag}`,
        from: { email: `partner-${tag}@partner.test`, name: "Partner" },
        to: [{ email: `mailbox-${tag}@example.test` }],
        text: `Hello from B ${tag}`,
        html: `<p>Hello from B ${tag}</p><img src="cid:logo-${tag}@b">`,
        raw: Buffer.from(`Subject: Secret plans of ${tag}\r\n\r\nHello from B ${tag}\r\n`),
        attachments: [
          { filename: "plans.txt", contentType: "text/plain", content: Buffer.from(`plans of ${tag}`) },
          { filename: "logo.png", contentType: "image/png", content: Buffer.from(`PNG-${tag}`), contentId: `logo-${tag}@b`, inline: true },
        ],
      },
    ],
  });
  const [blocked] = await db.insert(blockedSenders).values({ orgId, pattern: `spam-${tag}.example` }).returning();
  const message = thread.messages[0]!;
  return {
    threadId: thread.id,
    message: { id: message.id, attachmentId: message.attachmentIds[0]!, cid: `logo-${tag}@b` },
    blocked: { id: blocked!.id },
  };
}
