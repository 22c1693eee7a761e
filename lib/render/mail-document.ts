/**
 * The reader frame's document and policy. The frame is `sandbox="allow-popups
 * allow-popups-to-escape-sandbox"` (no scripts, opaque origin); the CSP below says the same again for
 * anyone opening the body URL directly: nothing but inline styles and data: images (plus http(s)
 * images once the reader allowed them), no scripts, no frames, no forms, no base URL changes.
 */
export function mailFrameCsp(options: { allowRemoteImages: boolean }): string {
  return [
    "default-src 'none'",
    `img-src data:${options.allowRemoteImages ? " http: https:" : ""}`,
    "style-src 'unsafe-inline'",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    "sandbox allow-popups allow-popups-to-escape-sandbox",
  ].join("; ");
}

/** Response headers for a sanitised body. */
export function mailFrameHeaders(options: { allowRemoteImages: boolean }): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": mailFrameCsp(options),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "private, no-store",
  };
}

/** Wraps sanitised mail HTML in the frame's document, with calm reading defaults. */
export function mailDocument(sanitizedHtml: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta name="color-scheme" content="light"><base target="_blank"><style>${READER_CSS}</style></head><body>${sanitizedHtml}</body></html>`;
}

const READER_CSS = `
html,body{margin:0;padding:0;background:#fff}
body{padding:2px 2px 10px;font:14px/1.6 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1b1f;overflow-wrap:break-word;overflow-x:auto}
img{max-width:100%}
pre{white-space:pre-wrap}
a{color:#4f4fc8}
a:not([href]){color:inherit;text-decoration:none}
blockquote{margin:0 0 0 .8ex;border-left:2px solid #d4d4da;padding-left:1.2ex;color:#555}
details.tl-collapse{margin:6px 0}
details.tl-collapse>summary{list-style:none;display:inline-block;cursor:pointer}
details.tl-collapse>summary::-webkit-details-marker{display:none}
details.tl-collapse>summary>span{display:inline-block;padding:0 7px;border:1px solid #e4e4e8;border-radius:8px;background:#f1f1f3;color:#62636c;font-size:11px;line-height:14px;letter-spacing:1px}
details.tl-collapse>summary:hover>span{background:#e6e6ea}
details.tl-collapse[open]>summary{margin-bottom:6px}
img[data-tl-blocked]{background:#f1f1f3}
`.trim();
