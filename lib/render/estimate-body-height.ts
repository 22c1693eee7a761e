import { htmlToPlainText } from "@/lib/mime/html-to-plain-text";

const LINE_PX = 24;
const CHARS_PER_LINE = 95;

/**
 * A first height for the reader frame. A sandboxed frame without scripts cannot tell its parent how
 * tall its content is, so the parent starts from this guess (text lines + images, collapsed parts
 * left out) and lets the reader resize or scroll inside.
 */
export function estimateBodyHeight(sanitizedHtml: string): number {
  const visible = dropCollapsed(sanitizedHtml);
  const text = htmlToPlainText(visible);
  let lines = 0;
  for (const line of text.split("\n")) lines += Math.max(1, Math.ceil(line.length / CHARS_PER_LINE));
  let images = 0;
  for (const match of visible.matchAll(/<img\b[^>]*>/gi)) {
    const height = /\bheight="?(\d{1,4})/i.exec(match[0]);
    images += height ? Math.min(Number(height[1]), 800) : 120;
  }
  const tables = (visible.match(/<tr\b/gi) ?? []).length * 6;
  const collapsed = (sanitizedHtml.match(/class="tl-collapse/g) ?? []).length * 26;
  return Math.round(Math.min(2400, Math.max(90, lines * LINE_PX + images + tables + collapsed + 48)));
}

// The outermost collapsed <details> blocks, removed (they start closed).
function dropCollapsed(html: string): string {
  let out = "";
  let depth = 0;
  let i = 0;
  const tag = /<details\b[^>]*>|<\/details>/gi;
  for (const match of html.matchAll(tag)) {
    const opening = match[0][1] !== "/";
    if (depth === 0) out += html.slice(i, match.index);
    if (opening && (depth > 0 || /tl-collapse/.test(match[0]))) depth += 1;
    else if (!opening && depth > 0) depth -= 1;
    else if (depth === 0) out += match[0];
    i = match.index! + match[0].length;
  }
  return depth === 0 ? out + html.slice(i) : out;
}
