import type { Address } from "./parsed-message";
import { cleanLine } from "./clean-text";

type RawAddress = { name?: string; address?: string; group?: RawAddress[] };

/**
 * Turns mailparser's address objects (groups flattened) into clean, deduplicated addresses:
 * lower-cased, trimmed, quotes stripped; anything that is not a plausible mailbox is dropped.
 */
export function normalizeAddressList(value: unknown): Address[] {
  const out: Address[] = [];
  const seen = new Set<string>();
  for (const entry of flatten(value)) {
    const address = normalizeAddress(entry.address);
    if (!address || seen.has(address)) continue;
    seen.add(address);
    out.push({ address, name: normalizeName(entry.name, address) });
  }
  return out;
}

/** A lower-case mailbox address, or null when the input is not one. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let address = cleanLine(raw).toLowerCase();
  address = address.replace(/^(mailto:)/, "").replace(/^["'`<\s]+|["'`>\s.]+$/g, "");
  if (address.length > 254 || /[\s<>(),;:\\"[\]]/.test(address)) return null;
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || local.includes("@")) return null;
  if (!/^[^.][^@]*\.[^.@]+$/.test(domain) || domain.includes("..")) return null;
  return address;
}

export function addressDomain(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

function normalizeName(raw: string | undefined, address: string): string | null {
  if (!raw) return null;
  // Outlook/Exchange exports wrap names in stray quotes: "'Smith, John'".
  const name = cleanLine(raw).replace(/^["'`\s]+|["'`\s]+$/g, "").trim();
  if (!name || name.toLowerCase() === address) return null;
  return name.length > 300 ? name.slice(0, 300) : name;
}

function flatten(value: unknown): RawAddress[] {
  const out: RawAddress[] = [];
  const visit = (item: unknown, depth: number) => {
    if (!item || typeof item !== "object" || depth > 5) return;
    if (Array.isArray(item)) return item.forEach((i) => visit(i, depth + 1));
    const obj = item as { value?: unknown; group?: unknown; address?: unknown; name?: unknown };
    if (Array.isArray(obj.value)) return visit(obj.value, depth + 1);
    if (Array.isArray(obj.group)) return visit(obj.group, depth + 1);
    out.push({
      address: typeof obj.address === "string" ? obj.address : undefined,
      name: typeof obj.name === "string" ? obj.name : undefined,
    });
  };
  visit(value, 0);
  return out;
}
