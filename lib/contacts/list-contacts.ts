import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { pgBoolean, queryRows } from "@/db/rows";
import { hasHiddenAccounts } from "@/lib/conversations/has-hidden-accounts";
import { pgTimestamp, textArray } from "@/lib/ingest/sql-lists";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { type ContactListParams, type ContactSort, DEFAULT_DIRECTION } from "./contact-list-params";
import { containsPattern, contactFigures, notBlocked } from "./contact-figures-sql";
import { FREE_MAIL_DOMAINS, isFreeMailDomain } from "./free-mail-domains";

export type ContactRow = {
  id: string;
  email: string;
  name: string | null;
  domain: string;
  // Null for free-mail domains (gmail.com is nobody's company).
  company: string | null;
  isBulk: boolean;
  messageCount: number;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
};

export type ContactList = { rows: ContactRow[]; total: number; page: number; pageSize: number; pageCount: number };

export const CONTACTS_PAGE_SIZE = 50;

/**
 * The organisation's contacts as the viewer may see them: searchable by name or address (substring,
 * on the pg_trgm index), sortable, paged; bulk senders (newsletters, no-reply) only on request;
 * blocked addresses and domains never. `domain` narrows to one company.
 */
export async function listContacts(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user">,
  params: ContactListParams & { domain?: string; pageSize?: number },
): Promise<ContactList> {
  const pageSize = Math.max(1, Math.min(params.pageSize ?? CONTACTS_PAGE_SIZE, 200));
  const page = Math.max(1, params.page);
  const figures = contactFigures(ctx, await hasHiddenAccounts(db, ctx));
  const conditions: SQL[] = [sql`c.org_id = ${ctx.orgId}`, notBlocked];
  if (!params.bulk) conditions.push(sql`not c.is_bulk`);
  if (params.q) conditions.push(sql`lower(coalesce(c.name, '') || ' ' || c.email) like ${containsPattern(params.q)}`);
  if (params.domain) conditions.push(sql`c.domain = ${params.domain.toLowerCase()}`);

  const rows = await queryRows<Row>(
    db,
    sql`
    with ${figures.cte}
    select c.id, c.email, c.name, c.domain, c.is_bulk, ${figures.count} as n, ${figures.first} as first_at, ${figures.last} as last_at,
      count(*) over () as total
    from contacts c ${figures.join}
    where ${sql.join(conditions, sql` and `)}
    order by ${orderBy(params.sort, params.dir ?? DEFAULT_DIRECTION[params.sort], figures)}
    limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const total = rows.length ? Number(rows[0]!.total) : page > 1 ? await countOnly(db, ctx, params) : 0;
  return {
    rows: rows.map(toContactRow),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

function orderBy(sort: ContactSort, dir: "asc" | "desc", figures: { count: SQL; last: SQL }): SQL {
  const d = sql.raw(dir === "asc" ? "asc" : "desc");
  const name = sql`lower(coalesce(nullif(c.name, ''), c.email))`;
  switch (sort) {
    case "last":
      return sql`${figures.last} ${d} nulls last, c.id`;
    case "messages":
      return sql`${figures.count} ${d}, ${figures.last} desc nulls last, c.id`;
    case "name":
      return sql`${name} ${d}, c.id`;
    case "company":
      // People at free-mail domains have no company: they come after every company, either way.
      return sql`(c.domain = any(${textArray(FREE_MAIL_DOMAINS)})), c.domain ${d}, ${name} asc, c.id`;
  }
}

// A page past the end has no rows to carry the total: count separately so the pager can recover.
async function countOnly(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, params: ContactListParams & { domain?: string }) {
  const again = await listContacts(db, ctx, { ...params, page: 1, pageSize: 1 });
  return again.total;
}

function toContactRow(row: Row): ContactRow {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    domain: row.domain,
    company: isFreeMailDomain(row.domain) ? null : row.domain,
    isBulk: pgBoolean(row.is_bulk),
    messageCount: Number(row.n ?? 0),
    firstSeenAt: pgTimestamp(row.first_at),
    lastSeenAt: pgTimestamp(row.last_at),
  };
}

type Row = {
  id: string;
  email: string;
  name: string | null;
  domain: string;
  is_bulk: boolean;
  n: number | string | null;
  first_at: string | Date | null;
  last_at: string | Date | null;
  total: number | string;
};
