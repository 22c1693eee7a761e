import { sql } from "drizzle-orm";
import type { Transaction } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { chunkRows, inList, insertJsonRows, isoOrNull, type JsonColumn } from "@/lib/ingest/sql-lists";
import { addressDomain } from "@/lib/mime/normalize-address";
import { addContactAccountFigures, recountContactAccounts } from "./contact-accounts";

export type ContactPolicy = "all" | "replied" | "none";

/** A newly inserted message, as the contact book sees it. */
export type ContactSource = {
  at: Date | null;
  isBulk: boolean;
  // From is one of the account's own addresses.
  sentByOwner: boolean;
  participants: { email: string; name: string | null; role: "from" | "to" | "cc" | "bcc" | "reply_to" }[];
};

export type ContactUpsertResult = {
  // email → contact id, for message_participants.contact_id
  contactIds: Map<string, string>;
  // Contacts created by this call (the "replied" policy back-fills their earlier messages).
  createdIds: string[];
};

/**
 * Creates or updates the organisation's contacts for newly inserted messages. Only new messages may be
 * passed: counters are incremented, so re-ingesting the same mail (which inserts nothing) never
 * double-counts. Own addresses and blocked senders never become contacts.
 *
 * Policies: `all` — every participant; `replied` — an address becomes a contact once the account has
 * written to it (it is To/Cc/Bcc of a message whose From is an own address); from then on every message
 * it takes part in counts, earlier ones included (see backfillContacts); `none` — no contacts.
 *
 * A contact is bulk while every message it has appeared in is bulk (a newsletter sender, a list
 * address); one ordinary message makes it a person for good.
 */
export async function upsertContacts(
  tx: Transaction,
  // accountId: the mailbox every message of the batch is in.
  scope: { orgId: string; accountId: string; policy: ContactPolicy; isOwn: (email: string) => boolean; isBlocked: (email: string) => boolean },
  messages: ContactSource[],
): Promise<ContactUpsertResult> {
  const result: ContactUpsertResult = { contactIds: new Map(), createdIds: [] };
  if (scope.policy === "none" || !messages.length) return result;

  const seen = new Map<string, Aggregate>();
  for (const message of messages) {
    const inMessage = new Set<string>();
    for (const p of message.participants) {
      if (scope.isOwn(p.email) || scope.isBlocked(p.email)) continue;
      let agg = seen.get(p.email);
      if (!agg) {
        agg = { email: p.email, name: null, nameAt: null, count: 0, first: null, last: null, bulk: true, qualifies: scope.policy === "all" };
        seen.set(p.email, agg);
      }
      if (message.sentByOwner && p.role !== "from" && p.role !== "reply_to") agg.qualifies = true;
      if (p.name && (agg.name === null || (message.at && (!agg.nameAt || message.at >= agg.nameAt)))) {
        agg.name = p.name;
        agg.nameAt = message.at;
      }
      if (inMessage.has(p.email)) continue;
      inMessage.add(p.email);
      agg.count += 1;
      if (!message.isBulk) agg.bulk = false;
      if (message.at) {
        if (!agg.first || message.at < agg.first) agg.first = message.at;
        if (!agg.last || message.at > agg.last) agg.last = message.at;
      }
    }
  }

  if (scope.policy === "replied") {
    // Addresses that do not qualify here still count when an earlier message already made them contacts.
    const pending = [...seen.values()].filter((a) => !a.qualifies).map((a) => a.email);
    for (let i = 0; i < pending.length; i += 5000) {
      const chunk = pending.slice(i, i + 5000);
      const rows = await queryRows<{ email: string }>(tx, sql`select email from contacts where org_id = ${scope.orgId} and email in ${inList(chunk)}`);
      for (const row of rows) seen.get(row.email)!.qualifies = true;
    }
  }

  // Sorted so concurrent syncs of two accounts of one organisation lock shared contacts in the same
  // order (no deadlock between their upserts).
  const rows = [...seen.values()].filter((a) => a.qualifies).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  const json = rows.map((a) => ({
    org_id: scope.orgId,
    email: a.email,
    name: a.name,
    domain: addressDomain(a.email),
    is_bulk: a.bulk,
    message_count: a.count,
    first_seen_at: isoOrNull(a.first),
    last_seen_at: isoOrNull(a.last),
  }));
  for (const chunk of chunkRows(json, 1, (a) => 200 + a.email.length + (a.name?.length ?? 0))) {
    const upserted = await queryRows<{ id: string; email: string; inserted: boolean }>(
      tx,
      insertJsonRows(
        "contacts",
        contactColumns,
        chunk,
        sql`on conflict (org_id, email) do update set
        message_count = t.message_count + excluded.message_count,
        first_seen_at = least(t.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(t.last_seen_at, excluded.last_seen_at),
        is_bulk = t.is_bulk and excluded.is_bulk,
        name = case when t.name is null or (excluded.name is not null and excluded.last_seen_at >= t.last_seen_at)
          then coalesce(excluded.name, t.name) else t.name end
      returning t.id, t.email, (t.xmax = 0) as inserted`,
      ),
    );
    for (const row of upserted) {
      result.contactIds.set(row.email, row.id);
      if (pgBoolean(row.inserted)) result.createdIds.push(row.id);
    }
  }
  await addContactAccountFigures(
    tx,
    scope.orgId,
    scope.accountId,
    rows.flatMap((a) => {
      const contactId = result.contactIds.get(a.email);
      return contactId ? [{ contactId, count: a.count, first: a.first, last: a.last }] : [];
    }),
  );
  return result;
}

/**
 * For contacts created under the "replied" policy: link the messages they took part in before they
 * qualified, and recount their figures from every message they appear in.
 */
export async function backfillContacts(tx: Transaction, orgId: string, contactIds: string[]): Promise<void> {
  for (let i = 0; i < contactIds.length; i += 5000) {
    const chunk = contactIds.slice(i, i + 5000);
    await tx.execute(sql`
      update message_participants mp set contact_id = c.id
      from contacts c
      where c.org_id = ${orgId} and c.id in ${inList(chunk)} and mp.org_id = ${orgId} and mp.email = c.email and mp.contact_id is null`);
    await tx.execute(sql`
      update contacts c set message_count = s.message_count, first_seen_at = s.first_at, last_seen_at = s.last_at,
        is_bulk = s.all_bulk
      from (
        select mp.contact_id, count(distinct mp.message_id)::int as message_count,
          min(coalesce(m.sent_at, m.received_at)) as first_at, max(coalesce(m.sent_at, m.received_at)) as last_at,
          bool_and(m.is_bulk) as all_bulk
        from message_participants mp join messages m on m.id = mp.message_id
        where mp.org_id = ${orgId} and mp.contact_id in ${inList(chunk)}
        group by mp.contact_id
      ) s
      where c.id = s.contact_id and c.org_id = ${orgId}`);
    await recountContactAccounts(tx, orgId, chunk);
  }
}

const contactColumns: readonly JsonColumn[] = [
  ["org_id", "uuid"],
  ["email", "text"],
  ["name", "text"],
  ["domain", "text"],
  ["is_bulk", "boolean"],
  ["message_count", "integer"],
  ["first_seen_at", "timestamptz"],
  ["last_seen_at", "timestamptz"],
];

type Aggregate = {
  email: string;
  name: string | null;
  nameAt: Date | null;
  count: number;
  first: Date | null;
  last: Date | null;
  bulk: boolean;
  qualifies: boolean;
};
