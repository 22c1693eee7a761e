import dns from "node:dns";
import net from "node:net";

export class ForbiddenHostError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(
      `Refusing to connect to ${host} (${address}): it is a loopback, private, link-local or otherwise non-public address. ` +
        "Set THREADLINE_ALLOW_PRIVATE_HOSTS=1 to allow it (self-hosted setups reaching a local mail server).",
    );
    this.name = "ForbiddenHostError";
  }
}

export class UnresolvableHostError extends Error {
  constructor(readonly host: string, cause: unknown) {
    super(`Cannot resolve the IMAP host ${host}: ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = "UnresolvableHostError";
  }
}

type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export type CheckedHost = { host: string; addresses: string[]; privateAllowed: boolean };

/**
 * Users type the IMAP host themselves, so a server-side connection to it must never reach the
 * operator's own network (SSRF): every address the name resolves to must be public, unless the
 * operator opted in with THREADLINE_ALLOW_PRIVATE_HOSTS=1. Callers should connect to one of the
 * returned addresses (with the name as TLS servername) so a second lookup cannot swap it.
 */
export async function checkImapHost(host: string, options: { env?: Record<string, string | undefined>; lookup?: Lookup } = {}): Promise<CheckedHost> {
  const env = options.env ?? process.env;
  // "imap.example.com." is the same name; "127.1", "0x7f.1" and "2130706433" are IPv4 literals to
  // inet_aton (and so to getaddrinfo): judge them as the address they mean, not as names.
  const bare = host.trim().replace(/^\[(.*)\]$/, "$1").replace(/(?<=[^.])\.$/, "");
  const name = legacyIpv4(bare) ?? bare;
  if (!name || /[\s/@]/.test(name)) throw new UnresolvableHostError(host, new Error("not a host name"));
  const privateAllowed = env.THREADLINE_ALLOW_PRIVATE_HOSTS === "1";
  let addresses: string[];
  if (net.isIP(name)) addresses = [name];
  else {
    try {
      const lookup = options.lookup ?? ((h: string) => dns.promises.lookup(h, { all: true, verbatim: true }));
      addresses = (await lookup(name)).map((a) => a.address);
    } catch (error) {
      throw new UnresolvableHostError(host, error);
    }
    if (!addresses.length) throw new UnresolvableHostError(host, new Error("no addresses"));
  }
  if (!privateAllowed) {
    for (const address of addresses) if (!isPublicAddress(address)) throw new ForbiddenHostError(host, address);
  }
  return { host: name, addresses, privateAllowed };
}

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
  ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(prefix, bits, "ipv4");
for (const [prefix, bits] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["2001:db8::", 32], ["100::", 64],
  // Local-use NAT64 (RFC 8215: any IPv4 behind it), IETF protocol space incl. Teredo (an obfuscated
  // IPv4 inside), the new documentation prefix, and ::/96 (IPv4-compatible, with hex-written forms).
  ["64:ff9b:1::", 48], ["2001::", 23], ["3fff::", 20], ["::", 96],
] as const) blocked.addSubnet(prefix, bits, "ipv6");

/** Public unicast only; IPv4 embedded in IPv6 (mapped, NAT64, 6to4) is judged by its IPv4 part. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return !blocked.check(address, "ipv4");
  if (family !== 6) return false;
  const embedded = embeddedIpv4(address);
  if (embedded) return !blocked.check(embedded, "ipv4");
  return !blocked.check(address, "ipv6");
}

function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = lower.match(/^(?:::ffff:|::ffff:0:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) return dotted[1]!;
  const words = expandIpv6(lower);
  if (!words) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  // ::ffff:a.b.c.d written in hex, NAT64 64:ff9b::/96, and 6to4 2002:AABB:CCDD::/48.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return v4(words[6]!, words[7]!);
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765), in hex.
  if (words.slice(0, 4).every((w) => w === 0) && words[4] === 0xffff && words[5] === 0) return v4(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return null;
}

function expandIpv6(address: string): number[] | null {
  const [head, tail] = address.split("::") as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(":").map((w) => parseInt(w, 16)) : []);
  const first = parse(head);
  const last = tail === undefined ? [] : parse(tail);
  const missing = 8 - first.length - last.length;
  if (missing < 0 || (tail === undefined && missing !== 0) || [...first, ...last].some((w) => Number.isNaN(w))) return null;
  return [...first, ...Array(missing).fill(0), ...last];
}

/** inet_aton's forms other than a plain dotted quad (1 to 4 parts, decimal, octal 0…, hex 0x…), as a dotted quad. */
function legacyIpv4(name: string): string | null {
  if (!/^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}$/i.test(name) || net.isIPv4(name)) return null;
  const parts = name.split(".").map((part) => (/^0x/i.test(part) ? parseInt(part.slice(2) || "0", 16) : /^0\d/.test(part) ? (/[89]/.test(part) ? NaN : parseInt(part, 8)) : Number(part)));
  if (parts.some((part) => !Number.isFinite(part))) return null;
  const last = parts.pop()!;
  if (parts.some((part) => part > 255) || last >= 256 ** (4 - parts.length)) return null;
  let value = last;
  parts.forEach((part, i) => (value += part * 256 ** (3 - i)));
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}
