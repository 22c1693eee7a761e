/**
 * Gmail-style search syntax → a typed query. The query is an AND of clauses; a clause is one term or
 * several joined by OR (`from:alice OR from:bob`). Terms are free text (words or "quoted phrases")
 * or operators; any term may be negated with a leading `-`. Nothing here touches SQL: the builder
 * (build-search-sql.ts) turns the AST into parameterised conditions.
 */

export type TextTerm = { type: "text"; text: string; phrase: boolean };
export type ParticipantTerm = { type: "participant"; field: "from" | "to" | "cc"; value: string };
export type SubjectTerm = { type: "subject"; value: string; phrase: boolean };
export type AttachmentTerm = { type: "has"; value: "attachment" };
export type FilenameTerm = { type: "filename"; value: string };
export type FolderTerm = { type: "in"; value: string };
export type AccountTerm = { type: "account"; value: string };
export type DateTerm = { type: "before" | "after"; date: string };
export type FlagTerm = { type: "is"; value: "read" | "unread" | "starred" };

export type SearchTerm = TextTerm | ParticipantTerm | SubjectTerm | AttachmentTerm | FilenameTerm | FolderTerm | AccountTerm | DateTerm | FlagTerm;
export type SearchNode = SearchTerm & { negated: boolean };
/** AND of clauses, each an OR of one or more terms. */
export type SearchQuery = { clauses: SearchNode[][] };

export type ParseResult =
  | { ok: true; query: SearchQuery; warnings: string[] }
  | { ok: false; error: { message: string; at: number } };

export const OPERATORS = ["from", "to", "cc", "subject", "has", "filename", "in", "label", "account", "before", "after", "is"] as const;
type Operator = (typeof OPERATORS)[number];

/** What the search page's help lists, one line per operator. */
export const OPERATOR_HELP: { example: string; meaning: string }[] = [
  { example: "from:alice@acme.com", meaning: "sender address or name (from:me = your own accounts)" },
  { example: "to:bob", meaning: "any recipient: To, Cc or Bcc" },
  { example: "cc:carol", meaning: "a Cc recipient" },
  { example: 'subject:"q3 report"', meaning: "words or a phrase in the subject" },
  { example: "has:attachment", meaning: "messages with attachments" },
  { example: "filename:pdf", meaning: "an attachment whose name contains this" },
  { example: "in:sent", meaning: "folder or label: inbox, sent, drafts, trash, spam, archive or a folder path" },
  { example: "account:me@work.com", meaning: "one linked mailbox" },
  { example: "after:2024-01-31", meaning: "on or after a day (YYYY-MM-DD or YYYY/MM/DD, UTC)" },
  { example: "before:2024/03/01", meaning: "before a day" },
  { example: "is:unread", meaning: "is:unread, is:read or is:starred" },
  { example: "-word  -from:x", meaning: "exclude" },
  { example: "a OR b", meaning: "either term" },
];

// `word:` prefixes that are ordinary text, not a mistyped operator: links and reply/forward markers.
const TEXT_PREFIXES = new Set(["http", "https", "mailto", "ftp", "re", "fw", "fwd", "aw", "sv", "tel"]);
const IS_VALUES = { read: "read", unread: "unread", starred: "starred", flagged: "starred" } as const;
const HAS_VALUES = { attachment: "attachment", attachments: "attachment" } as const;
const MAX_QUERY_LENGTH = 1000;
const MAX_TERMS = 40;

export function parseSearchQuery(input: string): ParseResult {
  if (input.length > MAX_QUERY_LENGTH) return fail(`The search is too long (${input.length} characters); keep it under ${MAX_QUERY_LENGTH}.`, MAX_QUERY_LENGTH);
  const warnings: string[] = [];
  const tokens: Token[] = [];
  try {
    for (const token of tokenize(input, warnings)) tokens.push(token);
  } catch (error) {
    if (error instanceof ParseError) return fail(error.message, error.at);
    throw error;
  }

  const clauses: SearchNode[][] = [];
  let joinNext = false;
  for (const token of tokens) {
    if (token.kind === "or") {
      if (clauses.length === 0) warnings.push("“OR” at the start has nothing on its left and was ignored.");
      else joinNext = true;
      continue;
    }
    if (joinNext) clauses[clauses.length - 1]!.push(token.node);
    else clauses.push([token.node]);
    joinNext = false;
  }
  if (joinNext) warnings.push("“OR” at the end has nothing on its right and was ignored.");
  const termCount = clauses.reduce((n, clause) => n + clause.length, 0);
  if (termCount > MAX_TERMS) return fail(`Too many search terms (${termCount}); use at most ${MAX_TERMS}.`, input.length);
  return { ok: true, query: { clauses }, warnings };
}

/** The query back as text, e.g. to show how a search was understood. */
export function formatSearchNode(node: SearchNode): string {
  const sign = node.negated ? "-" : "";
  const quote = (value: string) => (/[\s"()]/.test(value) || value === "" ? `"${value.replaceAll('"', "")}"` : value);
  switch (node.type) {
    case "text":
      return sign + (node.phrase ? `"${node.text}"` : node.text);
    case "participant":
      return `${sign}${node.field}:${quote(node.value)}`;
    case "subject":
      return `${sign}subject:${node.phrase ? `"${node.value}"` : quote(node.value)}`;
    case "has":
      return `${sign}has:attachment`;
    case "before":
    case "after":
      return `${sign}${node.type}:${node.date}`;
    default:
      return `${sign}${node.type}:${quote(node.value)}`;
  }
}

/** True when the query has at least one positive free-text term, i.e. relevance ranking means something. */
export function hasRankableText(query: SearchQuery): boolean {
  return query.clauses.some((clause) => clause.some((node) => (node.type === "text" || node.type === "subject") && !node.negated));
}

type Token = { kind: "or" } | { kind: "term"; node: SearchNode };

class ParseError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

function* tokenize(input: string, warnings: string[]): Generator<Token> {
  let i = 0;
  const n = input.length;
  while (i < n) {
    if (isSpace(input[i]!) || input[i] === "(" || input[i] === ")") {
      i++;
      continue;
    }
    const start = i;
    let negated = false;
    if (input[i] === "-" && i + 1 < n && !isSpace(input[i + 1]!) && input[i + 1] !== "-") {
      negated = true;
      i++;
    }

    if (input[i] === '"') {
      const phrase = readQuoted(input, i, warnings);
      i = phrase.end;
      const text = phrase.value.trim();
      if (text) yield term({ type: "text", text, phrase: true }, negated);
      continue;
    }

    let end = i;
    while (end < n && !isSpace(input[end]!) && input[end] !== '"') end++;
    const word = input.slice(i, end);
    const colon = word.indexOf(":");
    const name = colon > 0 ? word.slice(0, colon).toLowerCase() : "";

    if (colon > 0 && /^[a-z_]+$/.test(name) && !TEXT_PREFIXES.has(name)) {
      if (!(OPERATORS as readonly string[]).includes(name)) {
        throw new ParseError(`Unknown operator “${word.slice(0, colon)}:”. Valid operators: ${OPERATORS.filter((o) => o !== "label").map((o) => `${o}:`).join(", ")}.`, start);
      }
      const valueStart = i + colon + 1;
      const value = readValue(input, valueStart, warnings);
      i = value.end;
      yield term(operatorTerm(name as Operator, value.value, value.quoted, start), negated);
      continue;
    }

    i = end;
    if (!negated && /^or$/i.test(word)) {
      yield { kind: "or" };
      continue;
    }
    const text = word.replace(/[()]/g, "").trim();
    if (text) yield term({ type: "text", text, phrase: false }, negated);
  }
}

function operatorTerm(name: Operator, raw: string, quoted: boolean, at: number): SearchTerm {
  const value = raw.trim();
  if (!value) throw new ParseError(`“${name}:” needs a value, e.g. ${example(name)}.`, at);
  switch (name) {
    case "from":
    case "to":
    case "cc":
      return { type: "participant", field: name, value: value.toLowerCase() };
    case "subject":
      return { type: "subject", value, phrase: quoted };
    case "filename":
      return { type: "filename", value: value.toLowerCase() };
    case "in":
    case "label":
      return { type: "in", value };
    case "account":
      return { type: "account", value: value.toLowerCase() };
    case "has": {
      const known = HAS_VALUES[value.toLowerCase() as keyof typeof HAS_VALUES];
      if (!known) throw new ParseError(`“has:${value}” is not supported. Use has:attachment.`, at);
      return { type: "has", value: known };
    }
    case "is": {
      const known = IS_VALUES[value.toLowerCase() as keyof typeof IS_VALUES];
      if (!known) throw new ParseError(`“is:${value}” is not supported. Use is:unread, is:read or is:starred.`, at);
      return { type: "is", value: known };
    }
    case "before":
    case "after": {
      const date = parseDay(value);
      if (!date) throw new ParseError(`“${name}:${value}” is not a date. Write it as YYYY-MM-DD or YYYY/MM/DD, e.g. ${name}:2024-03-31.`, at);
      return { type: name, date };
    }
  }
}

/** An operator's value: "quoted", (grouped words) or up to the next space. */
function readValue(input: string, start: number, warnings: string[]): { value: string; quoted: boolean; end: number } {
  if (input[start] === '"') {
    const quoted = readQuoted(input, start, warnings);
    return { value: quoted.value, quoted: true, end: quoted.end };
  }
  if (input[start] === "(") {
    const close = input.indexOf(")", start + 1);
    if (close < 0) {
      warnings.push("A “(” was never closed; the rest of the search was read as its value.");
      return { value: input.slice(start + 1), quoted: false, end: input.length };
    }
    return { value: input.slice(start + 1, close).replaceAll('"', ""), quoted: false, end: close + 1 };
  }
  let end = start;
  while (end < input.length && !isSpace(input[end]!) && input[end] !== ")") end++;
  return { value: input.slice(start, end).replaceAll('"', ""), quoted: false, end };
}

function readQuoted(input: string, start: number, warnings: string[]): { value: string; end: number } {
  const close = input.indexOf('"', start + 1);
  if (close < 0) {
    // As Gmail does: an unclosed quote runs to the end of the search.
    warnings.push("A quote was never closed; the rest of the search was read as one phrase.");
    return { value: input.slice(start + 1), end: input.length };
  }
  return { value: input.slice(start + 1, close), end: close + 1 };
}

/** YYYY-MM-DD or YYYY/MM/DD (one-digit month and day allowed) → "YYYY-MM-DD", or null if not a real day. */
export function parseDay(value: string): string | null {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(2000, month - 1, day));
  probe.setUTCFullYear(year);
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function term(searchTerm: SearchTerm, negated: boolean): Token {
  return { kind: "term", node: { ...searchTerm, negated } };
}

function example(name: Operator): string {
  const examples: Record<Operator, string> = {
    from: "from:alice@acme.com",
    to: "to:bob",
    cc: "cc:carol",
    subject: 'subject:"q3 report"',
    has: "has:attachment",
    filename: "filename:pdf",
    in: "in:inbox",
    label: "label:work",
    account: "account:me@work.com",
    before: "before:2024-03-31",
    after: "after:2024-01-01",
    is: "is:unread",
  };
  return examples[name];
}

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

function fail(message: string, at: number): ParseResult {
  return { ok: false, error: { message, at } };
}
