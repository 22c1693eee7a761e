import { PEER_HEADER } from "./stamp-peer-address";

type HeaderSource = { get(name: string): string | null };

/**
 * The client's IP address for rate limits. X-Forwarded-For is written by whoever sends the request,
 * so it counts only when the operator says a proxy in front sets it (THREADLINE_TRUST_PROXY=1, or
 * the number of proxies): then the entry that many hops from the right is the one our proxy saw.
 * Otherwise the socket's address, stamped by stampPeerAddresses() before Next reads the request;
 * Next itself fills X-Forwarded-For from the socket only when the client sent none.
 */
export function clientIp(headers: HeaderSource, env: Partial<NodeJS.ProcessEnv> = process.env): string {
  const hops = trustedHops(env);
  if (hops > 0) {
    const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((part) => part.trim()).filter(Boolean);
    const seen = chain[Math.max(0, chain.length - hops)];
    if (seen) return normalize(seen);
  }
  const peer = headers.get(PEER_HEADER);
  if (peer) return normalize(peer);
  // Not behind our server wrapper (tests, other runtimes): no trustworthy address, one shared bucket.
  return "unknown";
}

function trustedHops(env: Partial<NodeJS.ProcessEnv>): number {
  const value = env.THREADLINE_TRUST_PROXY?.trim();
  if (!value || value === "0" || value === "false") return 0;
  if (value === "true") return 1;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

// "::ffff:10.0.0.1" and "10.0.0.1" are the same client.
function normalize(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && lower.includes(".") ? lower.slice(7) : lower;
}
