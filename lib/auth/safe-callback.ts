/**
 * Where to go after signing in: only a path on this site. "//evil.example" and "/\evil.example"
 * are protocol-relative URLs to another host, so they fall back to "/".
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
