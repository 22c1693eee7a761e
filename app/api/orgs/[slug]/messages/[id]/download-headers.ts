/**
 * Headers for serving mail parts from our origin: never sniffed, never scripted (a sandbox CSP even
 * if a browser renders it), cached privately, with a filename safe for any browser.
 */
export function downloadHeaders(filename: string, contentType: string, disposition: "inline" | "attachment"): Record<string, string> {
  const clean = filename.replace(/[\u0000-\u001f\u007f"\\/]/g, "_").slice(0, 200) || "download";
  const ascii = clean.replace(/[^\x20-\x7e]/g, "_");
  return {
    "content-type": /^[\w.+-]+\/[\w.+-]+$/.test(contentType) ? contentType : "application/octet-stream",
    "content-disposition": `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cross-origin-resource-policy": "same-origin",
    "referrer-policy": "no-referrer",
    "cache-control": "private, max-age=300",
  };
}
