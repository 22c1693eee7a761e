"use client";

import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight, Search, X } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { formatCount } from "@/components/mail/format";
import { KeyboardList } from "@/components/mail/keyboard-list";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { RelativeTime } from "@/components/ui/relative-time";
import { type ContactListParams, type ContactSort, DEFAULT_DIRECTION } from "@/lib/contacts/contact-list-params";
import type { ContactList } from "@/lib/contacts/list-contacts";

type Props = { slug: string; params: ContactListParams; list: ContactList };

const COLUMNS: { sort: ContactSort | null; label: string; className: string }[] = [
  { sort: "name", label: "Name", className: "text-left w-[25%]" },
  { sort: null, label: "Address", className: "text-left" },
  { sort: "company", label: "Company", className: "text-left w-[16%]" },
  { sort: "messages", label: "Messages", className: "text-right w-[110px]" },
  { sort: "last", label: "Last contact", className: "text-right w-[130px]" },
];

/**
 * The contact table. All of its state lives in the URL (q, sort, dir, bulk, page), so every view is
 * a link that survives reload; the server renders each state. Typing searches after a short pause;
 * j / k move, Enter opens, `/` is the global search (the box here takes focus with `f`).
 */
export function ContactsTable({ slug, params, list }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [query, setQuery] = useState(params.q);
  const box = useRef<HTMLInputElement>(null);

  const hrefWith = (changes: Partial<Record<keyof ContactListParams, string | number | boolean | undefined>>) => {
    const next = { q: params.q, sort: params.sort, dir: params.dir, bulk: params.bulk, page: params.page, ...changes };
    const search = new URLSearchParams();
    if (next.q) search.set("q", String(next.q));
    if (next.sort && next.sort !== "last") search.set("sort", String(next.sort));
    if (next.dir && next.dir !== DEFAULT_DIRECTION[next.sort as ContactSort]) search.set("dir", String(next.dir));
    if (next.bulk) search.set("bulk", "1");
    if (next.page && Number(next.page) > 1) search.set("page", String(next.page));
    const text = search.toString();
    return text ? `${pathname}?${text}` : pathname;
  };
  const go = (href: string) => startTransition(() => router.replace(href, { scroll: false }));

  // The URL wins when it changes under us (back/forward, a link).
  const [urlQuery, setUrlQuery] = useState(params.q);
  if (urlQuery !== params.q) {
    setUrlQuery(params.q);
    setQuery(params.q);
  }
  // The toggle answers at once; the list follows when the server has rendered the new URL.
  const [bulk, setBulk] = useState(params.bulk);
  const [urlBulk, setUrlBulk] = useState(params.bulk);
  if (urlBulk !== params.bulk) {
    setUrlBulk(params.bulk);
    setBulk(params.bulk);
  }

  // Search as you type, once typing pauses.
  useEffect(() => {
    if (query.trim() === params.q) return;
    const timer = setTimeout(() => go(hrefWith({ q: query.trim(), page: 1 })), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
        if (event.key === "Escape" && target === box.current) box.current?.blur();
        return;
      }
      if (event.key === "f" && !event.metaKey && !event.ctrlKey && !event.altKey) {
        event.preventDefault();
        box.current?.focus();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const dir = params.dir ?? DEFAULT_DIRECTION[params.sort];
  const from = list.total ? (list.page - 1) * list.pageSize + 1 : 0;
  const to = Math.min(list.total, list.page * list.pageSize);

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <div className="relative w-full max-w-[320px]">
          <Search className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-ink-faint" />
          <input
            ref={box}
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder="Filter by name or address"
            aria-label="Filter contacts by name or address"
            data-testid="contacts-filter"
            className="h-8 w-full rounded-md border border-line-strong bg-panel pr-8 pl-8 text-[13px] text-ink shadow-sm shadow-black/[0.03] placeholder:text-ink-faint focus:border-accent focus:ring-2 focus:ring-accent/20 focus:outline-none"
          />
          {query ? (
            <button type="button" onClick={() => setQuery("")} className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded p-1 text-ink-faint hover:bg-hover hover:text-ink" aria-label="Clear filter">
              <X className="size-3.5" />
            </button>
          ) : (
            <kbd className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-line bg-panel px-1.5 font-mono text-[10px] text-ink-faint">f</kbd>
          )}
        </div>
        <label className="inline-flex h-8 shrink-0 cursor-pointer whitespace-nowrap items-center gap-2 rounded-md border border-line-strong bg-panel px-2.5 text-[13px] text-ink-muted shadow-sm shadow-black/[0.03] select-none hover:bg-hover">
          <input
            type="checkbox"
            checked={bulk}
            onChange={(event) => {
              setBulk(event.target.checked);
              go(hrefWith({ bulk: event.target.checked, page: 1 }));
            }}
            className="size-3.5 accent-[var(--tl-accent)]"
            data-testid="contacts-show-bulk"
          />
          Show newsletters &amp; automated senders
        </label>
        <span className="ml-auto text-[12px] text-ink-muted tabular-nums" data-testid="contacts-count" aria-live="polite">
          {pending ? "Loading…" : `${formatCount(list.total)} ${list.total === 1 ? "contact" : "contacts"}`}
        </span>
      </div>

      <div className={cn("overflow-hidden rounded-lg border border-line bg-panel transition-opacity", pending && "opacity-60")}>
        <KeyboardList>
          <table className="w-full table-fixed border-collapse text-[13px]" data-testid="contacts-table">
            <thead className="sticky top-0 z-10 bg-sunken">
              <tr className="border-b border-line">
                {COLUMNS.map((column) => {
                  if (!column.sort)
                    return (
                      <th key={column.label} scope="col" className={cn("h-9 px-4 text-[12px] font-medium text-ink-muted", column.className)}>
                        {column.label}
                      </th>
                    );
                  const active = params.sort === column.sort;
                  const nextDir = active ? (dir === "asc" ? "desc" : "asc") : DEFAULT_DIRECTION[column.sort];
                  return (
                    <th
                      key={column.label}
                      scope="col"
                      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}
                      className={cn("h-9 px-4 text-[12px] font-medium text-ink-muted", column.className)}
                    >
                      <Link
                        href={hrefWith({ sort: column.sort, dir: nextDir, page: 1 })}
                        replace
                        scroll={false}
                        className={cn("inline-flex items-center gap-1 rounded hover:text-ink", active && "text-ink")}
                        data-testid={`sort-${column.sort}`}
                      >
                        {column.label}
                        {active ? dir === "asc" ? <ArrowUp className="size-3" /> : <ArrowDown className="size-3" /> : null}
                      </Link>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {list.rows.map((contact) => (
                <tr
                  key={contact.id}
                  data-row
                  tabIndex={0}
                  data-testid="contact-row"
                  data-email={contact.email}
                  onClick={(event) => {
                    if ((event.target as HTMLElement).closest("a")) return;
                    router.push(`/${slug}/contacts/${contact.id}`);
                  }}
                  className="cursor-pointer border-b border-line outline-none last:border-0 hover:bg-hover/50 focus-visible:bg-accent-soft/70"
                >
                  <td className="px-4 py-1.5">
                    <Link href={`/${slug}/contacts/${contact.id}`} data-row-open className="flex min-w-0 items-center gap-2.5" tabIndex={-1}>
                      <Avatar name={contact.name || contact.email} size={22} />
                      <span className="min-w-0 truncate font-medium text-ink">{contact.name || contact.email.split("@")[0]}</span>
                      {contact.isBulk ? <Badge className="shrink-0">Bulk</Badge> : null}
                    </Link>
                  </td>
                  <td className="truncate px-4 py-1.5 text-ink-muted">{contact.email}</td>
                  <td className="truncate px-4 py-1.5 text-ink-muted">
                    {contact.company ? (
                      <Link href={`/${slug}/companies/${contact.company}`} className="hover:text-ink hover:underline" tabIndex={-1}>
                        {contact.company}
                      </Link>
                    ) : (
                      <span className="text-ink-faint" title="Personal address (free mail)">
                        —
                      </span>
                    )}
                  </td>
                  <td className="px-4 py-1.5 text-right text-ink tabular-nums">{formatCount(contact.messageCount)}</td>
                  <td className="px-4 py-1.5 text-right text-ink-muted tabular-nums">{contact.lastSeenAt ? <RelativeTime date={contact.lastSeenAt} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </KeyboardList>
        {!list.rows.length ? (
          <div className="px-6 py-14 text-center" data-testid="contacts-empty">
            <p className="text-[14px] font-semibold text-ink">{params.q ? `No contacts match “${params.q}”` : "No contacts yet"}</p>
            <p className="mt-1 text-[13px] text-ink-muted">
              {params.q
                ? params.bulk
                  ? "Try part of a name or an address."
                  : "Newsletters and automated senders are hidden; include them, or try part of a name or an address."
                : "Contacts are built from the mail in linked mailboxes as it syncs."}
            </p>
            <div className="mt-4 flex justify-center gap-2">
              {params.q ? (
                <button type="button" onClick={() => setQuery("")} className="h-8 rounded-md border border-line-strong bg-panel px-3 text-[13px] font-medium hover:bg-hover">
                  Clear filter
                </button>
              ) : (
                <Link href={`/${slug}/accounts`} className="inline-flex h-8 items-center rounded-md bg-accent px-3 text-[13px] font-medium text-accent-ink hover:bg-accent-hover">
                  Link a mailbox
                </Link>
              )}
              {params.q && !params.bulk ? (
                <button type="button" onClick={() => go(hrefWith({ bulk: true, page: 1 }))} className="h-8 rounded-md border border-line-strong bg-panel px-3 text-[13px] font-medium hover:bg-hover">
                  Include bulk senders
                </button>
              ) : null}
            </div>
          </div>
        ) : null}
      </div>

      {list.total > list.pageSize ? (
        <nav className="mt-3 flex items-center justify-end gap-2 text-[12px] text-ink-muted" aria-label="Pages">
          <span className="tabular-nums">
            {formatCount(from)}–{formatCount(to)} of {formatCount(list.total)}
          </span>
          <PageLink href={list.page > 1 ? hrefWith({ page: list.page - 1 }) : null} label="Previous page">
            <ChevronLeft className="size-4" />
          </PageLink>
          <PageLink href={list.page < list.pageCount ? hrefWith({ page: list.page + 1 }) : null} label="Next page">
            <ChevronRight className="size-4" />
          </PageLink>
        </nav>
      ) : null}
    </div>
  );
}

function PageLink({ href, label, children }: { href: string | null; label: string; children: React.ReactNode }) {
  const className = "inline-flex size-7 items-center justify-center rounded-md border border-line-strong bg-panel";
  if (!href)
    return (
      <span className={cn(className, "opacity-40")} aria-disabled="true" aria-label={label}>
        {children}
      </span>
    );
  return (
    <Link href={href} replace scroll={false} className={cn(className, "text-ink hover:bg-hover")} aria-label={label}>
      {children}
    </Link>
  );
}
