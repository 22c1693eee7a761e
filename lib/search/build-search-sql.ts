import { type SQL, sql } from "drizzle-orm";
import { folderMatchSql, type SearchFolders } from "./folder-sql";
import type { SearchNode, SearchQuery } from "./parse-search-query";
import { type SearchLevels, type SearchViewer, visibleSearchDocumentSql } from "./visibility-sql";

/**
 * The parsed query as SQL over `m` (messages), with every user value
 * sent as a bind parameter. Text is matched against the part of the weighted `search` vector the
 * viewer may see (visibility-sql.ts), so a hidden subject or body never decides whether a message is
 * found — neither by matching it nor by excluding it.
 */
export type SearchSql = {
  /** Conditions ANDed into the WHERE clause. */
  where: SQL[];
  /** A tsquery of every positive text and subject term (ranking and highlighting), or null. */
  rankQuery: SQL | null;
  /**
   * What the GIN index itself returns for the query's words, before any recheck or other condition:
   * phrases as all their words anywhere (the index has no positions). Null for operators only, where
   * the index can answer no part of the query.
   */
  indexedCondition: SQL | null;
  /** A phrase among the indexed words: every message the index returns is re-read for word positions. */
  indexRechecks: boolean;
  /** after:/before: bounds every match must meet: a walk down messages_org_sent_idx starts and stops at them. */
  dateBounds: SQL[];
  /** The conditions of clauses without words or dates (from:, in:, has:…), which the GIN index cannot answer. */
  filters: SQL[];
};

export type SearchSqlOptions = {
  orgId: string;
  viewer: SearchViewer;
  /** What the viewer may see of each message (visibility-sql.ts). */
  levels: SearchLevels;
  /** subject: values whose tsquery is empty (only stop words): matched as a substring instead. */
  literalSubjects?: ReadonlySet<string>;
  /** The organisation's folders (folder-sql.ts): needed when the query has in:. */
  folders?: SearchFolders;
};

export function buildSearchSql(query: SearchQuery, options: SearchSqlOptions): SearchSql {
  const env: Env = { ...options, level: options.levels.level, doc: visibleSearchDocumentSql(options.levels) };
  const where: SQL[] = [];
  const prefilter: SQL[] = [];
  const indexed: SQL[] = [];
  const ranked: SQL[] = [];
  const dateBounds: SQL[] = [];
  const filters: SQL[] = [];
  let indexRechecks = false;

  for (const clause of query.clauses) {
    if (clause.length === 1 && isDateBound(clause[0]!)) dateBounds.push(termSql(clause[0]!, env));
    const matched = clause.length === 1 ? nodeSql(clause[0]!, env) : sql`(${sql.join(clause.map((node) => nodeSql(node, env)), sql` or `)})`;
    // A clause of positive words only implies the same match on the whole vector: a GIN-indexable
    // condition the planner can start from (the visibility-aware one above is evaluated per row).
    if (clause.every((node) => node.type === "text" && !node.negated)) {
      prefilter.push(sql`(${sql.join(clause.map((node) => textQuery(node as TextNode)), sql` || `)})`);
      indexed.push(sql`(${sql.join(clause.map((node) => textQuery({ ...(node as TextNode), phrase: false })), sql` || `)})`);
      if (clause.some((node) => (node as TextNode).phrase)) indexRechecks = true;
      // Where the viewer sees the whole message the prefilter (answered by the index, no recheck for
      // plain words) already is this clause: skip re-reading every matching row's vector from the heap.
      where.push(sql`(${env.level} = 'shared' or ${matched})`);
    } else {
      where.push(matched);
      if (clause.every((node) => node.type !== "text" && !isDateBound(node))) filters.push(matched);
    }
    for (const node of clause) {
      if (node.negated) continue;
      if (node.type === "text") ranked.push(textQuery(node));
      else if (node.type === "subject" && !env.literalSubjects?.has(node.value)) ranked.push(subjectQuery(node));
    }
  }
  // Last: walking the newest messages, Postgres tests conditions of equal estimated cost in the order
  // written, and reading a row's vector costs far more than a sender, folder or attachment check.
  if (prefilter.length) where.push(sql`m.search @@ (${sql.join(prefilter, sql` && `)})`);
  return {
    where,
    rankQuery: ranked.length ? sql`(${sql.join(ranked, sql` || `)})` : null,
    indexedCondition: indexed.length ? sql`m.search @@ (${sql.join(indexed, sql` && `)})` : null,
    indexRechecks,
    dateBounds,
    filters,
  };
}

// In an exists probe: keeps it a per-message index lookup. Postgres may otherwise turn it into a hash of
// every organisation's message_locations (700k rows, 1.6 s) to answer the newest few thousand messages.
const PER_ROW = sql`offset 0`;

type Env = SearchSqlOptions & { level: SQL; doc: SQL };
type TextNode = Extract<SearchNode, { type: "text" }>;

function nodeSql(node: SearchNode, env: Env): SQL {
  // Bare, so the date index can use it; an undated message fails it all the same.
  if (isDateBound(node)) return termSql(node, env);
  // Bare, so Postgres can join to the folder's locations; never null.
  if (node.type === "in") return node.negated ? sql`not ${termSql(node, env)}` : termSql(node, env);
  // NULL columns (no date, no subject) count as "no match", also under negation.
  const positive = sql`coalesce((${termSql(node, env)}), false)`;
  return node.negated ? sql`not ${positive}` : positive;
}

function termSql(node: SearchNode, env: Env): SQL {
  switch (node.type) {
    case "text":
      return sql`${env.doc} @@ ${textQuery(node)}`;
    case "subject":
      return sql`${env.level} in ('shared', 'subject') and ${
        env.literalSubjects?.has(node.value)
          ? sql`position(${node.value.toLowerCase()} in lower(m.subject)) > 0`
          : sql`m.search @@ ${subjectQuery(node)} and ts_filter(m.search, '{a}') @@ ${subjectQuery(node)}`
      }`;
    case "participant": {
      const roles = node.field === "to" ? ["to", "cc", "bcc"] : [node.field];
      if (node.value !== "me" && isWholeAddress(node.value)) {
        // One address: its messages straight from message_participants_org_email_idx, once (a
        // correlated probe per message picked that index too, and re-read a busy sender's thousands
        // of rows for every candidate message: 15-20 s for from:<busiest contact> in a 20k-message org).
        return sql`m.id in (select p.message_id from message_participants p where p.org_id = ${env.orgId} and p.email = ${node.value} and p.role in (${sql.join(
          roles.map((role) => sql`${role}`),
          sql`, `,
        )}))`;
      }
      const match =
        node.value === "me"
          ? sql`p.email in (select lower(own.email_address) from mail_accounts own where own.org_id = ${env.orgId} and ${ownAccounts(env.viewer)})`
          : addressMatch(sql`p.email`, sql`p.name`, node.value);
      return sql`exists (select 1 from message_participants p where p.message_id = m.id and p.org_id = m.org_id and p.role in (${sql.join(
        roles.map((role) => sql`${role}`),
        sql`, `,
      )}) and ${match})`;
    }
    case "has":
      return sql`${env.level} = 'shared' and m.has_attachments`;
    case "filename":
      return sql`${env.level} = 'shared' and exists (select 1 from attachments f where f.message_id = m.id and f.org_id = m.org_id and position(${node.value} in lower(coalesce(f.filename, ''))) > 0)`;
    case "in":
      if (!env.folders) throw new Error("in: needs the organisation's folders (loadSearchFolders)");
      return folderMatchSql(node.value, env.folders);
    case "account":
      return sql`exists (select 1 from mail_accounts a where a.id = m.account_id and a.org_id = m.org_id and ${addressMatch(sql`lower(a.email_address)`, sql`a.display_name`, node.value)})`;
    case "after":
      return sql`m.sent_at >= ${`${node.date}T00:00:00Z`}::timestamptz`;
    case "before":
      return sql`m.sent_at < ${`${node.date}T00:00:00Z`}::timestamptz`;
    case "is":
      if (node.value === "starred") {
        return sql`exists (select 1 from message_locations l where l.message_id = m.id and l.org_id = m.org_id and (${"\\Flagged"} = any(l.flags) or ${"\\Starred"} = any(coalesce(l.labels, '{}'))) ${PER_ROW})`;
      }
      // Read = seen in at least one folder (Gmail and IMAP agree on \Seen); unread = seen nowhere.
      return sql`${node.value === "unread" ? sql`not ` : sql``}exists (select 1 from message_locations l where l.message_id = m.id and l.org_id = m.org_id and ${"\\Seen"} = any(l.flags) ${PER_ROW})`;
  }
}

/** english ∪ simple: stemmed words (subject, body) or verbatim ones (names, addresses). */
function textQuery(node: TextNode): SQL {
  return node.phrase
    ? sql`(phraseto_tsquery('english', ${node.text}) || phraseto_tsquery('simple', ${node.text}))`
    : sql`(plainto_tsquery('english', ${node.text}) || plainto_tsquery('simple', ${node.text}))`;
}

function subjectQuery(node: Extract<SearchNode, { type: "subject" }>): SQL {
  return node.phrase ? sql`phraseto_tsquery('english', ${node.value})` : sql`plainto_tsquery('english', ${node.value})`;
}

/** A whole address matches exactly; anything else is a piece of an address or a name. */
function addressMatch(email: SQL, name: SQL, value: string): SQL {
  if (isWholeAddress(value)) return sql`${email} = ${value}`;
  return sql`(position(${value} in ${email}) > 0 or position(${value} in lower(coalesce(${name}, ''))) > 0)`;
}

/** A positive after:/before:, which every match must meet on its own date. */
function isDateBound(node: SearchNode): boolean {
  return !node.negated && (node.type === "after" || node.type === "before");
}

function isWholeAddress(value: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
}

function ownAccounts(viewer: SearchViewer): SQL {
  // For the operator (CLI), "me" is the message's own mailbox.
  return "userId" in viewer ? sql`own.user_id = ${viewer.userId}` : sql`own.id = m.account_id`;
}
