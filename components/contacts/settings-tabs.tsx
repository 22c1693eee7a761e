import Link from "next/link";
import { cn } from "@/components/ui/cn";

const TABS = [
  { key: "members", label: "Members", path: "settings/members" },
  { key: "contacts", label: "Contacts & blocklist", path: "settings/contacts" },
] as const;

/** Sections of the organisation's settings. */
export function SettingsTabs({ slug, current }: { slug: string; current: (typeof TABS)[number]["key"] }) {
  return (
    <nav className="mb-5 flex gap-1 border-b border-line" aria-label="Settings sections">
      {TABS.map((tab) => (
        <Link
          key={tab.key}
          href={`/${slug}/${tab.path}`}
          aria-current={tab.key === current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-2.5 pt-1 pb-2 text-[13px] transition-colors",
            tab.key === current ? "border-accent font-medium text-ink" : "border-transparent text-ink-muted hover:text-ink",
          )}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
