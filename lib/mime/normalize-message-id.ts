import { cleanText } from "./clean-text";

/**
 * Message-IDs are stored WITHOUT angle brackets and without whitespace ("abc@example.com"), so
 * Message-ID, In-Reply-To and References compare as plain strings whatever the sender wrote.
 * Case is kept: the left-hand side is case-sensitive.
 */
export function normalizeMessageIds(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const value = cleanText(raw);
  const ids: string[] = [];
  const bracketed = value.match(/<[^<>]*>/g);
  if (bracketed) {
    for (const token of bracketed) pushId(ids, token.slice(1, -1));
  } else {
    // Sloppy senders omit the brackets; then every whitespace- or comma-separated token that looks like an id counts.
    for (const token of value.split(/[\s,]+/)) if (token.includes("@")) pushId(ids, token);
    if (!ids.length && value.trim()) pushId(ids, value.trim().split(/\s+/)[0]!);
  }
  return ids;
}

export function normalizeMessageId(raw: string | null | undefined): string | null {
  return normalizeMessageIds(raw)[0] ?? null;
}

function pushId(ids: string[], candidate: string) {
  const id = candidate.replace(/\s+/g, "").replace(/^<+|>+$/g, "");
  // Very long ids are garbage (or attacks on the index); 998 is the RFC 5322 line limit, counted in
  // bytes: 998 three-byte characters would pass the ~2,700-byte limit of a btree index row.
  if (id && id.length <= 998 && Buffer.byteLength(id, "utf8") <= 998 && !ids.includes(id)) ids.push(id);
}
