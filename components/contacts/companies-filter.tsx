"use client";

import { Search } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";

/** Filters companies by domain as you type; the filter lives in the URL (?q=). */
export function CompaniesFilter({ initial }: { initial: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [value, setValue] = useState(initial);
  const [, startTransition] = useTransition();
  useEffect(() => {
    if (value.trim() === initial) return;
    const timer = setTimeout(() => {
      const q = value.trim();
      startTransition(() => router.replace(q ? `${pathname}?q=${encodeURIComponent(q)}` : pathname, { scroll: false }));
    }, 250);
    return () => clearTimeout(timer);
  }, [value, initial, pathname, router]);
  return (
    <div className="relative w-full max-w-[320px]">
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-ink-faint" />
      <input
        type="search"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        placeholder="Filter by domain"
        aria-label="Filter companies by domain"
        className="h-8 w-full rounded-md border border-line-strong bg-panel pr-2 pl-8 text-[13px] text-ink shadow-sm shadow-black/[0.03] placeholder:text-ink-faint focus:border-accent focus:ring-2 focus:ring-accent/20 focus:outline-none"
      />
    </div>
  );
}
