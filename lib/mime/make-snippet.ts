const quoteHeader = [
  /^On .{3,200} wrote:\s*$/im, // Gmail, Apple Mail, Thunderbird
  /^Le .{3,200} a écrit\s*:\s*$/im,
  /^Am .{3,200} schrieb .{0,100}:\s*$/im,
  /^[ \t]*-{2,}\s*Original Message\s*-{2,}/im, // Outlook, Lotus
  /^[ \t]*-{2,}\s*Forwarded (?:message|by)/im,
  /^_{10,}\s*$/m, // Outlook's rule before the quoted header block
  /^From:\s.*\n(?:.*\n){0,3}?(?:Sent|Date):\s/im,
];

/**
 * A one-line preview: quoted replies and the quoted-header block cut off when that leaves
 * something, whitespace collapsed, at most `length` characters ending on a word boundary.
 */
export function makeSnippet(text: string | null, length = 200): string | null {
  if (!text) return null;
  // A 200-character preview never needs more than the first few thousand characters.
  let body = text.length > 4_000 ? text.slice(0, 4_000) : text;
  for (const pattern of quoteHeader) {
    const match = pattern.exec(body);
    if (match && match.index > 0 && body.slice(0, match.index).trim()) body = body.slice(0, match.index);
  }
  const unquoted = body
    .split("\n")
    .filter((line) => !/^\s*>/.test(line))
    .join(" ");
  const collapsed = (unquoted.trim() ? unquoted : body).replace(/\s+/g, " ").trim();
  if (!collapsed) return null;
  if (collapsed.length <= length) return collapsed;
  const cut = collapsed.slice(0, length);
  const space = cut.lastIndexOf(" ");
  return (space > length * 0.6 ? cut.slice(0, space) : cut).trimEnd() + "…";
}
