/**
 * CSS from a mail (a style attribute or a <style> block) with everything that could fetch or run
 * something removed: @import and @font-face, url()/image-set()/src() to anything `resolveUrl` does
 * not return a URL for, IE expression(), -moz-binding and behavior. Escapes and comments are
 * decoded/removed first so they cannot hide a function name ("u\72l(", "ur/* *\/l(").
 * The frame's CSP blocks remote loads too; this keeps the page quiet and the policy unnecessary.
 */
export function cleanCss(input: string, resolveUrl: (url: string) => string | null): string {
  let css = decodeEscapes(input.replace(/\/\*[\s\S]*?(\*\/|$)/g, " "));
  // A "<" could only matter if the CSS ended up outside a <style>; mail CSS has no use for it.
  css = css.replace(/</g, " ");
  css = css.replace(/@import[^;]*;?/gi, " ").replace(/@font-face\s*\{[^}]*\}?/gi, " ");
  css = css.replace(/url\(\s*(["']?)([\s\S]*?)\1\s*\)/gi, (_whole, _quote: string, url: string) => {
    const resolved = resolveUrl(url);
    return resolved ? `url("${resolved.replace(/["\\\n\r]/g, encodeURIComponent)}")` : "none";
  });
  // URLs in strings (image-set("…"), src("…")) are dropped whatever function carries them.
  css = css.replace(/(["'])\s*(?:[a-z][a-z0-9+.-]*:)?\/\/[^"']*\1/gi, '""');
  return css
    .replace(/(-webkit-)?image-set\s*\(|\bimage\s*\(|expression\s*\(/gi, "none-(")
    .replace(/(^|[^-\w])src\s*\(/gi, "$1none-(")
    .replace(/-moz-binding\s*:|behavior\s*:/gi, "x-removed:")
    .replace(/javascript\s*:/gi, "removed:");
}

function decodeEscapes(css: string): string {
  return css.replace(/\\([0-9a-f]{1,6})\s?|\\([^\n0-9a-f])/gi, (_whole, hex: string | undefined, char: string | undefined) => {
    if (char !== undefined) return char;
    const point = parseInt(hex!, 16);
    return point > 0 && point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff) ? String.fromCodePoint(point) : "\uFFFD";
  });
}
