import { NAV_ITEMS, SECONDARY_NAV_ITEMS } from "@/components/shell/nav";
import { goToHint } from "@/components/shell/shortcuts";
import type { AccountOverview } from "@/lib/accounts/get-accounts-overview";

export type PaletteItem = {
  id: string;
  group: "Go to" | "Contacts" | "Mailboxes" | "Actions" | "Search";
  label: string;
  hint?: string;
  // Extra words the filter matches.
  keywords?: string;
  action: { kind: "navigate"; href: string } | { kind: "sync"; accountId: string; label: string; messages: number } | { kind: "shortcuts" };
};

export type PaletteContact = { id: string; name: string | null; email: string };

/**
 * Everything the palette offers for this query: screens, the people the server found for it
 * (already matched there, by substring), mailboxes, "sync now", the shortcuts, searches.
 */
export function paletteItems(
  slug: string,
  query: string,
  accounts: Pick<AccountOverview, "id" | "emailAddress" | "status" | "unlinked" | "messages">[],
  contacts: PaletteContact[] = [],
): PaletteItem[] {
  const q = query.trim();
  const screens: PaletteItem[] = [...NAV_ITEMS, ...SECONDARY_NAV_ITEMS].map((item) => ({
    id: `go-${item.label.toLowerCase()}`,
    group: "Go to",
    label: item.label,
    hint: goToHint(item.label),
    keywords: item.label === "Accounts" ? "mailboxes sync link" : item.label === "Settings" ? "members invitations" : undefined,
    action: { kind: "navigate", href: item.href(slug) },
  }));
  const mailboxes: PaletteItem[] = accounts.map((a) => ({
    id: `account-${a.id}`,
    group: "Mailboxes",
    label: a.emailAddress,
    hint: "Open",
    keywords: "account mailbox",
    action: { kind: "navigate", href: `/${slug}/accounts#account-${a.id}` },
  }));
  const syncs: PaletteItem[] = accounts
    .filter((a) => !a.unlinked && a.status !== "paused" && a.status !== "reconnect_needed")
    .map((a) => ({
      id: `sync-${a.id}`,
      group: "Actions",
      label: `Sync now: ${a.emailAddress}`,
      keywords: "refresh fetch",
      action: { kind: "sync", accountId: a.id, label: a.emailAddress, messages: a.messages },
    }));
  const help: PaletteItem = { id: "shortcuts", group: "Actions", label: "Keyboard shortcuts", hint: "?", keywords: "keys help", action: { kind: "shortcuts" } };
  const people: PaletteItem[] = q
    ? contacts.map((c) => ({
        id: `contact-${c.id}`,
        group: "Contacts",
        label: c.name || c.email,
        hint: c.name ? c.email : undefined,
        action: { kind: "navigate", href: `/${slug}/contacts/${c.id}` },
      }))
    : [];
  const filtered = [...screens, ...mailboxes, ...syncs, help].filter((item) => matches(item, q));
  if (!q) return filtered;
  const firstOther = filtered.findIndex((item) => item.group !== "Go to");
  const at = firstOther < 0 ? filtered.length : firstOther;
  return [
    ...filtered.slice(0, at),
    ...people,
    ...filtered.slice(at),
    { id: "search-contacts", group: "Search", label: `Search contacts for “${q}”`, action: { kind: "navigate", href: `/${slug}/contacts?q=${encodeURIComponent(q)}` } },
    { id: "search-mail", group: "Search", label: `Search mail for “${q}”`, action: { kind: "navigate", href: `/${slug}/search?q=${encodeURIComponent(q)}` } },
  ];
}

/** Every word of the query starts a word of the label or keywords (so "sy al" finds "Sync now: alice@…"). */
function matches(item: PaletteItem, query: string): boolean {
  if (!query) return true;
  const haystack = `${item.label} ${item.keywords ?? ""} ${item.group}`.toLowerCase();
  const words = haystack.split(/[\s:@.+_-]+/).filter(Boolean);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((part) => haystack.includes(part) && (words.some((w) => w.startsWith(part)) || part.length > 2));
}
