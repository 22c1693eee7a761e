export type TextSegment = { text: string } | { text: string; href: string };
export type TextBlock = { kind: "text" | "quote" | "signature"; segments: TextSegment[] };

/**
 * A plain-text body as blocks for the reader: the text itself, quoted replies ("> …" runs, with the
 * "On … wrote:" line before them) and the signature (after a "-- " line) to show collapsed, each
 * split into text and links. Only http(s), www. and mail addresses become links; nothing is HTML.
 */
export function plainTextBlocks(body: string): TextBlock[] {
  const lines = body.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  const blocks: { kind: TextBlock["kind"]; lines: string[] }[] = [];
  const push = (kind: TextBlock["kind"], line: string) => {
    const last = blocks[blocks.length - 1];
    if (last && last.kind === kind) last.lines.push(line);
    else blocks.push({ kind, lines: [line] });
  };
  let inSignature = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!inSignature && (line === "-- " || line === "--") && i > 0 && lines.length - i <= 15) inSignature = true;
    if (inSignature) {
      push("signature", line);
      continue;
    }
    const quoted = /^\s*>/.test(line);
    const attribution = !quoted && /^(On .{4,200} wrote:|Le .{4,200} a écrit ?:|Am .{4,200} schrieb .{1,100}:|-{2,} ?Original Message ?-{2,}|_{10,})\s*$/i.test(line.trim());
    if (quoted || (attribution && isQuoteAhead(lines, i + 1))) push("quote", line);
    else if (line.trim() === "" && blocks[blocks.length - 1]?.kind === "quote" && isQuoteAhead(lines, i + 1)) push("quote", line);
    else push("text", line);
  }
  return blocks.map((b) => ({ kind: b.kind, segments: linkify(b.lines.join("\n")) }));
}

// The next non-blank line is quoted (or it is an Outlook-style header block).
function isQuoteAhead(lines: string[], from: number): boolean {
  for (let i = from; i < lines.length && i < from + 3; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    return /^\s*>/.test(line) || /^(From|Sent|Date|To|Subject):\s/i.test(line);
  }
  return false;
}

const LINK = /\b(https?:\/\/[^\s<>"']+|www\.[^\s<>"']+\.[^\s<>"']+|[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})/gi;

export function linkify(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    let value = match[0];
    // Trailing punctuation belongs to the sentence, not the URL.
    const trail = /[).,;:!?\]]+$/.exec(value);
    if (trail && !(trail[0].startsWith(")") && value.includes("("))) value = value.slice(0, -trail[0].length);
    const start = match.index!;
    if (start > last) out.push({ text: text.slice(last, start) });
    const href = value.includes("@") && !/^https?:|^www\./i.test(value) ? `mailto:${value}` : /^www\./i.test(value) ? `https://${value}` : value;
    out.push({ text: value, href });
    last = start + value.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
