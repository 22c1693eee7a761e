import { type SQL, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { formatSearchNode, type SearchNode, type SearchQuery } from "./parse-search-query";

/**
 * Words PostgreSQL ignores (stop words, punctuation) leave an empty tsquery, which matches nothing:
 * such text terms are dropped with a warning, and such subject: values are matched as a substring.
 */
export async function dropStopWords(db: Database | Transaction, query: SearchQuery) {
  const warnings: string[] = [];
  const literalSubjects = new Set<string>();
  const probes: { node: SearchNode; expr: SQL; terms?: SQL }[] = [];
  // The words as typed and stemmed: where the body's excerpt starts, and which words are marked (search-highlights.ts).
  const termsOf = (node: SearchNode, text: string) =>
    node.negated ? undefined : sql`tsvector_to_array(to_tsvector('simple', ${text})) || tsvector_to_array(to_tsvector('english', ${text}))`;
  for (const node of query.clauses.flat()) {
    if (node.type === "text") {
      const fn = node.phrase ? sql`phraseto_tsquery` : sql`plainto_tsquery`;
      // The english config decides: its stop words would otherwise still match names verbatim (simple).
      probes.push({ node, expr: sql`numnode(${fn}('english', ${node.text}))`, terms: termsOf(node, node.text) });
    } else if (node.type === "subject") {
      probes.push({ node, expr: sql`numnode(plainto_tsquery('english', ${node.value}))`, terms: termsOf(node, node.value) });
    }
  }
  if (probes.length === 0) return { query, literalSubjects, highlightTerms: [], warnings };
  const columns = probes.flatMap((p, i) => [sql`${p.expr} as ${sql.identifier(`n${i}`)}`, ...(p.terms ? [sql`${p.terms} as ${sql.identifier(`t${i}`)}`] : [])]);
  const [row] = await queryRows<Record<string, number | string | string[]>>(db, sql`select ${sql.join(columns, sql`, `)}`);
  const empty = new Set(probes.filter((_, i) => Number(row![`n${i}`]) === 0).map((p) => p.node));
  const highlightTerms = [...new Set(probes.flatMap((p, i) => (p.terms && !empty.has(p.node) ? asTextArray(row![`t${i}`]) : [])))];
  for (const node of empty) {
    if (node.type === "subject") literalSubjects.add(node.value);
    else warnings.push(`“${formatSearchNode(node)}” is too common to search for and was ignored.`);
  }
  const clauses = query.clauses.map((clause) => clause.filter((node) => node.type !== "text" || !empty.has(node))).filter((clause) => clause.length > 0);
  return { query: { clauses }, literalSubjects, highlightTerms, warnings };
}

/** A text[] column, as postgres.js and PGlite return it; without the terms, excerpts start at the body's start. */
function asTextArray(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
