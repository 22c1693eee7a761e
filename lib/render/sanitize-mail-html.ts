import sanitizeHtml from "sanitize-html";
import { cleanCss } from "./clean-css";
import { BLOCKED_IMAGE_PLACEHOLDER, MISSING_IMAGE_PLACEHOLDER } from "./placeholders";

export type SanitizeMailOptions = {
  // Load http(s) images (the reader allowed them for this message or sender); otherwise placeholders.
  allowRemoteImages: boolean;
  // A Content-ID (without angle brackets) → a URL the frame may load (a data: URL or our route), or null.
  resolveCid?: (cid: string) => string | null;
};

export type SanitizedMail = {
  html: string;
  // Remote images found (loaded or replaced by a placeholder); 0 means there is nothing to allow.
  remoteImages: number;
};

/**
 * Mail HTML made safe to show in the reader's frame. Defence in depth: the frame is also sandboxed
 * without scripts and served with a CSP that forbids scripts and remote loads (mail-document.ts).
 *
 * Kept: formatting, tables, inline styles and <style> blocks (CSS cleaned: url() only to data: images
 * and inline parts — never to the outside, images allowed or not — no @import, no expression()/bindings), links (http, https, mailto, tel
 * only; new tab, no opener, no referrer), images (data:image, cid: → resolveCid, remote → placeholder
 * until allowed). Dropped: scripts, event handlers, forms and inputs, frames, objects, embeds, SVG,
 * MathML, meta (refresh), base, link, media elements, and every attribute not listed here.
 * Quoted replies and signatures are wrapped in <details> so they start collapsed, without scripts.
 */
export function sanitizeMailHtml(input: string, options: SanitizeMailOptions): SanitizedMail {
  let remoteImages = 0;
  const resolveUrl = (raw: string): string | null => {
    const url = raw.trim();
    if (/^data:image\/(png|gif|jpe?g|webp|bmp|avif|x-icon|vnd\.microsoft\.icon);/i.test(url)) return url;
    if (/^cid:/i.test(url)) return options.resolveCid?.(decodeCid(url.slice(4))) ?? null;
    if (/^(https?:)?\/\//i.test(url)) {
      remoteImages += 1;
      return options.allowRemoteImages ? (url.startsWith("//") ? `https:${url}` : url) : null;
    }
    return null;
  };

  const html = sanitizeHtml(input, {
    allowedTags: ALLOWED_TAGS,
    allowVulnerableTags: true,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ["http", "https", "mailto", "tel"],
    allowedSchemesByTag: { img: ["data", "http", "https"] },
    allowProtocolRelative: false,
    nonTextTags: ["script", "textarea", "option", "noscript", "title", "svg", "math", "iframe", "object", "embed", "template", "xml"],
    parseStyleAttributes: false,
    transformTags: {
      "*": (tagName, attribs) => {
        if (attribs.style !== undefined) attribs.style = cleanCss(attribs.style, cssUrl);
        return { tagName, attribs };
      },
      a: (tagName, attribs) => {
        const href = (attribs.href ?? "").trim();
        const next: Record<string, string> = { ...attribs, target: "_blank", rel: "noopener noreferrer" };
        if (!/^(https?:\/\/|mailto:|tel:)/i.test(href)) delete next.href;
        else next.href = href;
        return { tagName, attribs: next };
      },
      img: (tagName, attribs) => {
        const src = attribs.src ?? "";
        const resolved = src ? resolveUrl(src) : null;
        const next: Record<string, string> = { ...attribs };
        delete next.srcset;
        if (resolved) next.src = resolved;
        else if (/^(https?:)?\/\//i.test(src.trim())) {
          next.src = BLOCKED_IMAGE_PLACEHOLDER;
          next["data-tl-blocked"] = "remote";
          next.title = "Remote image blocked";
        } else {
          next.src = MISSING_IMAGE_PLACEHOLDER;
          next["data-tl-blocked"] = "missing";
        }
        return { tagName, attribs: next };
      },
      blockquote: (tagName, attribs) => collapsible(tagName, attribs, attribs.type === "cite" || /gmail_quote/.test(attribs.class ?? "") ? "quote" : null),
      div: (tagName, attribs) => {
        const cls = attribs.class ?? "";
        const kind = /\b(gmail_quote|yahoo_quoted|moz-forward-container)\b/.test(cls) || attribs.id === "divRplyFwdMsg"
          ? "quote"
          : /\b(gmail_signature|moz-signature)\b/.test(cls)
            ? "signature"
            : null;
        return collapsible(tagName, attribs, kind);
      },
      // The mail's own <details> lose their attributes: data-tl-collapse is ours alone.
      details: (tagName) => ({ tagName, attribs: {} }),
      style: (tagName, attribs): sanitizeHtml.Tag => ({ tagName, attribs: attribs.media ? { media: attribs.media } : ({} as sanitizeHtml.Attributes) }),
      // The mail's <body> styling (background colour, fonts) survives on a wrapper.
      body: (_tagName, attribs) => ({ tagName: "div", attribs: { ...attribs, class: "tl-mail-body" } }),
    },
  });

  // CSS inside <style> blocks reaches us unescaped (sanitize-html passes it through as raw text, and
  // a </style> can never occur inside it), so it is cleaned here, after sanitising.
  const withCleanStyles = html.replace(/<style([^>]*)>([\s\S]*?)<\/style>/gi, (_whole, attrs: string, css: string) => `<style${attrs}>${cleanCss(css, cssUrl)}</style>`);
  // Sanitised text is escaped, so this marker can only come from the transform above.
  const collapsed = withCleanStyles
    .replace(/<details data-tl-collapse="quote">/g, '<details class="tl-collapse tl-quote"><summary title="Show quoted text"><span>•••</span></summary>')
    .replace(/<details data-tl-collapse="signature">/g, '<details class="tl-collapse tl-signature"><summary title="Show signature"><span>•••</span></summary>');
  return { html: collapsed, remoteImages };

  // CSS never loads anything from outside, images allowed or not: only data: images and inline parts.
  function cssUrl(url: string): string | null {
    const trimmed = url.trim();
    return /^(data:image\/|cid:)/i.test(trimmed) ? resolveUrl(trimmed) : null;
  }
}

function collapsible(tagName: string, attribs: Record<string, string>, kind: "quote" | "signature" | null) {
  if (!kind) return { tagName, attribs };
  return { tagName: "details", attribs: { "data-tl-collapse": kind } };
}

function decodeCid(value: string): string {
  try {
    return decodeURIComponent(value).replace(/^<|>$/g, "");
  } catch {
    return value.replace(/^<|>$/g, "");
  }
}

const ALLOWED_TAGS = [
  "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center", "cite",
  "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font",
  "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav",
  "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strike", "strong", "style", "sub",
  "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
];

const COMMON = ["style", "class", "id", "dir", "lang", "title", "align", "valign", "width", "height", "bgcolor", "color"];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  "*": COMMON,
  a: [...COMMON, "href", "target", "rel", "name"],
  img: [...COMMON, "src", "alt", "border", "hspace", "vspace", "data-tl-blocked"],
  table: [...COMMON, "border", "cellpadding", "cellspacing", "frame", "rules", "summary"],
  td: [...COMMON, "colspan", "rowspan", "nowrap", "headers", "scope", "abbr"],
  th: [...COMMON, "colspan", "rowspan", "nowrap", "headers", "scope", "abbr"],
  col: [...COMMON, "span"],
  colgroup: [...COMMON, "span"],
  font: [...COMMON, "face", "size"],
  ol: [...COMMON, "start", "type", "reversed"],
  ul: [...COMMON, "type"],
  li: [...COMMON, "value", "type"],
  hr: [...COMMON, "noshade", "size"],
  details: ["data-tl-collapse"],
  style: ["media"],
  time: [...COMMON, "datetime"],
  q: [...COMMON, "cite"],
  blockquote: [...COMMON, "type"],
};
