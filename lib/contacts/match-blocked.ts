/**
 * A matcher for the organisation's blocklist: a pattern with "@" blocks that exact address
 * ("@x.com" blocks the domain), a bare pattern blocks the domain and its subdomains.
 */
export function makeBlockedMatcher(patterns: readonly string[]): (address: string) => boolean {
  const addresses = new Set<string>();
  const domains = new Set<string>();
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    if (!pattern) continue;
    if (pattern.startsWith("@")) domains.add(pattern.slice(1));
    else if (pattern.includes("@")) addresses.add(pattern);
    else domains.add(pattern);
  }
  if (!addresses.size && !domains.size) return () => false;
  return (address) => {
    if (addresses.has(address)) return true;
    let domain = address.slice(address.lastIndexOf("@") + 1);
    for (;;) {
      if (domains.has(domain)) return true;
      const dot = domain.indexOf(".");
      if (dot < 0) return false;
      domain = domain.slice(dot + 1);
    }
  };
}
