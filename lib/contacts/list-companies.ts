import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { hasHiddenAccounts } from "@/lib/conversations/has-hidden-accounts";
import { parseJson } from "@/lib/conversations/list-conversations";
import { pgTimestamp, textArray } from "@/lib/ingest/sql-lists";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { containsPattern, contactFigures, notBlocked } from "./contact-figures-sql";
import { FREE_MAIL_DOMAINS } from "./free-mail-domains";

export type CompanyRow = {
  domain: string;
  people: number;
  messages: number;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  // A few of its people, most active first.
  sample: { id: string; name: string | null; email: string }[];
};

export type CompanyList = { rows: CompanyRow[]; total: number; page: number; pageSize: number; pageCount: number };

/**
 * Companies: the organisation's contacts grouped by email domain, free-mail domains and bulk-only
 * senders left out, as the viewer may see them. With `domain` set, just that company (or none).
 */
export async function listCompanies(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user">,
  params: { q?: string; page?: number; pageSize?: number; domain?: string } = {},
): Promise<CompanyList> {
  const pageSize = Math.max(1, Math.min(params.pageSize ?? 50, 200));
  const page = Math.max(1, params.page ?? 1);
  const figures = contactFigures(ctx, await hasHiddenAccounts(db, ctx));
  const conditions: SQL[] = [sql`c.org_id = ${ctx.orgId}`, sql`not c.is_bulk`, sql`c.domain <> all(${textArray(FREE_MAIL_DOMAINS)})`, notBlocked];
  if (params.q) conditions.push(sql`c.domain like ${containsPattern(params.q)}`);
  if (params.domain) conditions.push(sql`c.domain = ${params.domain.toLowerCase()}`);

  const rows = await queryRows<Row>(
    db,
    sql`
    with ${figures.cte},
    people as (
      select c.id, c.email, c.name, c.domain, ${figures.count} as n, ${figures.first} as first_at, ${figures.last} as last_at
      from contacts c ${figures.join}
      where ${sql.join(conditions, sql` and `)}
    ),
    companies as (
      select domain, count(*)::int as people, sum(n)::int as messages, min(first_at) as first_at, max(last_at) as last_at
      from people group by domain
    ),
    page as (
      select co.*, count(*) over () as total from companies co
      order by co.last_at desc nulls last, co.domain
      limit ${pageSize} offset ${(page - 1) * pageSize}
    ),
    -- A few people per company of this page only, most active first.
    sample as (
      select * from (
        select p.*, row_number() over (partition by p.domain order by p.n desc, p.email) as rn
        from people p where p.domain in (select domain from page)
      ) ranked where rn <= 4
    )
    select pg.*,
      (select json_agg(json_build_object('id', s.id, 'name', s.name, 'email', s.email) order by s.rn) from sample s where s.domain = pg.domain) as sample
    from page pg
    order by pg.last_at desc nulls last, pg.domain`,
  );
  const total = rows.length ? Number(rows[0]!.total) : 0;
  return {
    rows: rows.map((row) => ({
      domain: row.domain,
      people: Number(row.people),
      messages: Number(row.messages ?? 0),
      firstSeenAt: pgTimestamp(row.first_at),
      lastSeenAt: pgTimestamp(row.last_at),
      sample: parseJson<CompanyRow["sample"]>(row.sample) ?? [],
    })),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

type Row = {
  domain: string;
  people: number | string;
  messages: number | string | null;
  first_at: string | Date | null;
  last_at: string | Date | null;
  total: number | string;
  sample: unknown;
};
