import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { hasHiddenAccounts } from "@/lib/conversations/has-hidden-accounts";
import { ACCESS_RANK, accessRankOfAccountAlias } from "@/lib/conversations/visibility";
import { uuidArrayLiteral } from "@/lib/search/uuid-literals";
import type { OrgContext } from "@/lib/tenancy/org-context";

export type ContactFigures = { cte: SQL; join: SQL; count: SQL; first: SQL; last: SQL };

/**
 * SQL for a contact's message count and first/last time as the viewer may see them, over contacts
 * aliased `c`. With no hidden accounts the stored counters are right; otherwise they are recounted
 * from visible mail and contacts known only from hidden mail drop out (the join). `among`: the only
 * contacts the caller can show (see figuresFor); without it every contact of the organisation is
 * recounted.
 */
export function contactFigures(ctx: Pick<OrgContext, "orgId" | "user">, hidden: boolean, among?: readonly string[]): ContactFigures {
  if (!hidden) {
    return { cte: sql`vis as (select null::uuid as contact_id)`, join: sql``, count: sql`c.message_count`, first: sql`c.first_seen_at`, last: sql`c.last_seen_at` };
  }
  const rank = accessRankOfAccountAlias({ userId: ctx.user.id }, "a");
  return {
    cte: sql`vis as (
      select mp.contact_id, count(distinct mp.message_id)::int as n,
        min(coalesce(m.sent_at, m.received_at)) as first_at, max(coalesce(m.sent_at, m.received_at)) as last_at
      from message_participants mp
      join messages m on m.id = mp.message_id and m.org_id = ${ctx.orgId}
      join mail_accounts a on a.id = m.account_id
      where mp.org_id = ${ctx.orgId} and mp.contact_id is not null and ${rank} >= ${ACCESS_RANK.metadata}
        ${among ? sql`and mp.contact_id = any(${uuidArrayLiteral(among)})` : sql``}
      group by mp.contact_id
    )`,
    join: sql`join vis on vis.contact_id = c.id`,
    count: sql`vis.n`,
    first: sql`vis.first_at`,
    last: sql`vis.last_at`,
  };
}

// Up to this many contacts a filter matches, only theirs are recounted (see figuresFor).
const NARROW_RECOUNT = 2000;

/**
 * contactFigures for a list whose contacts `conditions` (over `c`) narrow down, as a typed name or a
 * company does: when they match few enough contacts, only those are recounted. Recounting every
 * contact took 2.5 s at 190,000 messages; a typed name's few hundred, 30-150 ms. The ids are read
 * first and handed over as values: offered the filter as a subquery, Postgres misjudged how many
 * rows it gives and sometimes recounted more slowly than for everyone.
 */
export async function figuresFor(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, conditions: SQL[] | null): Promise<ContactFigures> {
  if (!(await hasHiddenAccounts(db, ctx))) return contactFigures(ctx, false);
  if (!conditions) return contactFigures(ctx, true);
  const ids = await queryRows<{ id: string }>(db, sql`select c.id from contacts c where ${sql.join(conditions, sql` and `)} limit ${NARROW_RECOUNT + 1}`);
  return contactFigures(ctx, true, ids.length <= NARROW_RECOUNT ? ids.map((r) => r.id) : undefined);
}

/** Contacts the organisation's blocklist covers (an address, a domain or its subdomains) are hidden. */
export const notBlocked = sql`not exists (
  select 1 from blocked_senders b where b.org_id = c.org_id and (
    b.pattern = c.email
    or (position('@' in ltrim(b.pattern, '@')) = 0 and (c.domain = ltrim(b.pattern, '@') or c.domain like '%.' || ltrim(b.pattern, '@')))
  ))`;

/** A LIKE pattern matching `term` anywhere (its % _ \ taken literally). */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
