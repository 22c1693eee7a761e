"use client";

import { Search } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";

import { GO_TO_KEYS, isTyping } from "./shortcuts";

const GO_TO: Record<string, string> = Object.fromEntries(GO_TO_KEYS.map((g) => [g.key, g.path]));

/** The global search box: `/` focuses it from anywhere; Enter opens the search page. */
export function TopBar({ slug, orgName, children }: { slug: string; orgName: string; children?: ReactNode }) {
  const input = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const pathname = usePathname();
  // On the search page the box shows the search being looked at, ready to refine.
  const searchParams = useSearchParams();
  const currentQuery = pathname === `/${slug}/search` ? (searchParams.get("q") ?? "") : "";

  useEffect(() => {
    let pendingG = 0;
    function onKey(event: KeyboardEvent) {
      if (isTyping(event) || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === "/") {
        event.preventDefault();
        input.current?.focus();
      } else if (event.key === "g") {
        pendingG = event.timeStamp;
      } else if (pendingG && event.timeStamp - pendingG < 1000 && GO_TO[event.key]) {
        pendingG = 0;
        router.push(`/${slug}${GO_TO[event.key]}`);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router, slug]);

  return (
    <header className="flex h-12 shrink-0 items-center gap-4 border-b border-line bg-panel px-4">
      <div className="min-w-0 flex-1 truncate text-[13px] text-ink-muted">
        <span className="text-ink-faint">{orgName}</span>
        <span className="mx-1.5 text-ink-faint">/</span>
        <span className="font-medium text-ink">{sectionTitle(pathname, slug)}</span>
      </div>
      <form
        role="search"
        className="relative w-full max-w-[360px]"
        onSubmit={(event) => {
          event.preventDefault();
          const q = input.current?.value.trim();
          router.push(q ? `/${slug}/search?q=${encodeURIComponent(q)}` : `/${slug}/search`);
        }}
      >
        <Search className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-ink-faint" />
        <input
          ref={input}
          key={currentQuery}
          defaultValue={currentQuery}
          type="search"
          name="q"
          placeholder="Search mail, people, companies…"
          aria-label="Search"
          className="h-8 w-full rounded-md border border-line bg-sunken pr-8 pl-8 text-[13px] text-ink placeholder:text-ink-faint focus:border-accent focus:bg-panel focus:ring-2 focus:ring-accent/20 focus:outline-none"
        />
        <kbd className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-line bg-panel px-1.5 font-mono text-[10px] text-ink-faint">/</kbd>
      </form>
      {children}
    </header>
  );
}

const TITLES: Record<string, string> = {
  "": "Home",
  contacts: "Contacts",
  companies: "Companies",
  threads: "Conversation",
  search: "Search",
  accounts: "Accounts",
  settings: "Settings",
  usage: "Usage",
};

function sectionTitle(pathname: string, slug: string): string {
  const rest = pathname.slice(slug.length + 1).split("/").filter(Boolean);
  return TITLES[rest[0] ?? ""] ?? "Home";
}
