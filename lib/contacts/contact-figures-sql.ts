import { type SQL, sql } from "drizzle-orm";
import { ACCESS_RANK, accessRankOfAccountAlias } from "@/lib/conversations/visibility";
import type { OrgContext } from "@/lib/tenancy/org-context";

export type ContactFigures = { cte: SQL; join: SQL; count: SQL; first: SQL; last: SQL };

/**
 * SQL for a contact's message count and first/last time as the viewer may see them, over contacts
 * aliased `c`. With no hidden accounts the stored counters are right; otherwise they are recounted
 * from visible mail and contacts known only from hidden mail drop out (the join).
 */
export function contactFigures(ctx: Pick<OrgContext, "orgId" | "user">, hidden: boolean): ContactFigures {
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
      group by mp.contact_id
    )`,
    join: sql`join vis on vis.contact_id = c.id`,
    count: sql`vis.n`,
    first: sql`vis.first_at`,
    last: sql`vis.last_at`,
  };
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
