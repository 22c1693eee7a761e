import type { Database } from "@/db/connect";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { formatSearchNode, parseSearchQuery } from "./parse-search-query";
import type { SearchParams } from "./search-params";
import { type SearchMessagesOutput, searchMessages } from "./search-messages";

export type OrgSearchOutcome =
  | { status: "empty" }
  | { status: "invalid"; message: string; at: number }
  | ({ status: "ok"; clauses: UnderstoodClause[]; page: number; pageSize: number } & SearchMessagesOutput);

/** One clause of the query as understood, written back in the search syntax ("from:bob OR tacos"). */
export type UnderstoodClause = { text: string; negated: boolean; operator: boolean };

/**
 * Search as a member of the organisation: the query parsed (a parse error is an answer, not a
 * failure), the organisation and the member's visibility applied, one page of results.
 */
export async function searchOrgMail(db: Database, ctx: Pick<OrgContext, "orgId" | "user">, params: SearchParams): Promise<OrgSearchOutcome> {
  if (!params.q.trim()) return { status: "empty" };
  const parsed = parseSearchQuery(params.q);
  if (!parsed.ok) return { status: "invalid", ...parsed.error };
  if (parsed.query.clauses.length === 0) return { status: "empty" };
  const output = await searchMessages(db, {
    orgId: ctx.orgId,
    viewer: { userId: ctx.user.id },
    query: parsed.query,
    sort: params.sort,
    group: params.group,
    limit: params.pageSize,
    offset: (params.page - 1) * params.pageSize,
  });
  return {
    status: "ok",
    ...output,
    warnings: [...parsed.warnings, ...output.warnings],
    page: params.page,
    pageSize: params.pageSize,
    clauses: parsed.query.clauses.map((clause) => ({
      text: clause.map(formatSearchNode).join(" OR "),
      negated: clause.every((node) => node.negated),
      operator: clause.every((node) => node.type !== "text"),
    })),
  };
}
