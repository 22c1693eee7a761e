"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { NAV_ITEMS, type NavItem, SECONDARY_NAV_ITEMS } from "./nav";

export function SidebarNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  return (
    <nav className="flex flex-1 flex-col gap-5 px-2 pt-2" aria-label="Main">
      <ul className="flex flex-col gap-px">{NAV_ITEMS.map((item) => <NavLink key={item.label} item={item} slug={slug} pathname={pathname} />)}</ul>
      <div>
        <p className="mb-1 px-2 text-[11px] font-medium text-ink-faint">Workspace</p>
        <ul className="flex flex-col gap-px">
          {SECONDARY_NAV_ITEMS.map((item) => <NavLink key={item.label} item={item} slug={slug} pathname={pathname} />)}
        </ul>
      </div>
    </nav>
  );
}

function NavLink({ item, slug, pathname }: { item: NavItem; slug: string; pathname: string }) {
  const href = item.href(slug);
  const section = item.label === "Settings" ? `/${slug}/settings` : href;
  const active = item.exact ? pathname === href : pathname === section || pathname.startsWith(`${section}/`);
  const Icon = item.icon;
  return (
    <li>
      <Link
        href={href}
        aria-current={active ? "page" : undefined}
        className={cn(
          "flex h-7 items-center gap-2.5 rounded-md px-2 text-[13px] transition-colors",
          active ? "bg-selected font-medium text-ink" : "text-ink-muted hover:bg-hover hover:text-ink",
        )}
      >
        <Icon className={cn("size-4", active ? "text-ink" : "text-ink-faint")} strokeWidth={1.75} />
        {item.label}
      </Link>
    </li>
  );
}
