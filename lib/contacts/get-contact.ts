import { sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { isUuid } from "@/lib/conversations/get-conversation";
import { parseJson } from "@/lib/conversations/list-conversations";
import { ACCESS_RANK, accessRankOfAccountAlias, visibleAccountIdsSql } from "@/lib/conversations/visibility";
import { pgTimestamp } from "@/lib/ingest/sql-lists";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { isFreeMailDomain } from "./free-mail-domains";
import type { ContactRow } from "./list-contacts";

export type ContactDetail = ContactRow & {
  // Other names this address has used in their recent mail.
  otherNames: string[];
  // The linked mailboxes their visible mail is in, busiest first.
  accounts: { id: string; emailAddress: string; messages: number }[];
};

// Other names are looked for among this many of their newest named appearances.
const NAME_SAMPLE = 500;

/**
 * One contact with figures from the mail the viewer may see. Null when the contact is not in the
 * organisation, or every message with them is in mailboxes hidden from the viewer.
 */
export async function getContact(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, contactId: string): Promise<ContactDetail | null> {
  if (!isUuid(contactId)) return null;
  const rank = accessRankOfAccountAlias({ userId: ctx.user.id }, "a");
  const visibleAccounts = visibleAccountIdsSql({ userId: ctx.user.id }, ctx.orgId);
  const [row] = await queryRows<Row>(
    db,
    sql`
    -- One row per message (a contact can be both to and cc), grouped in the order of the contact's
    -- index rows (90 → 50 ms against a join to mail_accounts). Their threads are counted apart
    -- (countContactThreads), beside this on another connection: cheaper than keeping the grouped rows
    -- for it (-20%), and on a busy contact each read is 10-20 ms.
    with per_account as (
      select account_id, count(*)::int as n, min(at) as first_at, max(at) as last_at from (
        select mp.message_at as at, mp.account_id
        from message_participants mp
        where mp.contact_id = ${contactId} and mp.org_id = ${ctx.orgId} and mp.account_id = any(${visibleAccounts})
        group by mp.message_at, mp.account_id, mp.thread_id, mp.message_id
      ) msgs group by account_id
    )
    select c.id, c.email, c.name, c.domain, c.is_bulk,
      (select coalesce(sum(n), 0) from per_account)::int as n,
      (select min(first_at) from per_account) as first_at,
      (select max(last_at) from per_account) as last_at,
      -- From their latest named rows, walked in index order (then kept if visible): the name is read
      -- from the table, and sorting all of a busy contact's rows for it cost 300 ms.
      (select json_agg(distinct x.name) from (
        select mp.name, mp.account_id from message_participants mp
        where mp.contact_id = ${contactId} and mp.org_id = ${ctx.orgId} and mp.name is not null and mp.name <> ''
        order by mp.message_at desc limit ${NAME_SAMPLE}) x
        join mail_accounts a on a.id = x.account_id and a.org_id = ${ctx.orgId}
        where ${rank} >= ${ACCESS_RANK.metadata}) as names,
      (select json_agg(json_build_object('id', a.id, 'emailAddress', a.email_address, 'messages', x.n) order by x.n desc, a.email_address)
        from per_account x
        join mail_accounts a on a.id = x.account_id and a.org_id = ${ctx.orgId}) as accounts
    from contacts c where c.id = ${contactId} and c.org_id = ${ctx.orgId}`,
  );
  if (!row || Number(row.n) === 0) return null;
  const names = (parseJson<string[]>(row.names) ?? []).filter((n) => n !== row.name);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    otherNames: names.slice(0, 5),
    domain: row.domain,
    company: isFreeMailDomain(row.domain) ? null : row.domain,
    isBulk: pgBoolean(row.is_bulk),
    messageCount: Number(row.n),
    firstSeenAt: pgTimestamp(row.first_at),
    lastSeenAt: pgTimestamp(row.last_at),
    accounts: parseJson<{ id: string; emailAddress: string; messages: number }[]>(row.accounts) ?? [],
  };
}

type Row = {
  id: string;
  email: string;
  name: string | null;
  domain: string;
  is_bulk: boolean;
  n: number | string;
  first_at: string | Date | null;
  last_at: string | Date | null;
  names: unknown;
  accounts: unknown;
};
