const entities: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * A cheap HTML-to-text for search and snippets, used when mailparser's converter skipped the part
 * (too long) or failed: drops head/script/style, turns block ends into newlines, strips tags.
 */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<(head|script|style|title)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(br|\/p|\/div|\/tr|\/li|\/h\d|\/table)\b[^>]*>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => decodeEntity(code) ?? whole)
    .replace(/[ \t\r\f\v]+/g, " ")
    .replace(/ ?\n[ \n]*/g, "\n")
    .trim();
}

function decodeEntity(code: string): string | null {
  if (code[0] === "#") {
    const point = code[1] === "x" || code[1] === "X" ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
    return point > 0 && point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff) ? String.fromCodePoint(point) : null;
  }
  return entities[code.toLowerCase()] ?? null;
}
