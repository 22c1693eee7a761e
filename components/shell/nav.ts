import { Building2, ChartColumn, House, Inbox, type LucideIcon, Search, Settings, Users } from "lucide-react";

export type NavItem = { label: string; href: (slug: string) => string; icon: LucideIcon; exact?: boolean };

export const NAV_ITEMS: NavItem[] = [
  { label: "Home", href: (s) => `/${s}`, icon: House, exact: true },
  { label: "Contacts", href: (s) => `/${s}/contacts`, icon: Users },
  { label: "Companies", href: (s) => `/${s}/companies`, icon: Building2 },
  { label: "Search", href: (s) => `/${s}/search`, icon: Search },
  { label: "Accounts", href: (s) => `/${s}/accounts`, icon: Inbox },
];

export const SECONDARY_NAV_ITEMS: NavItem[] = [
  { label: "Settings", href: (s) => `/${s}/settings/members`, icon: Settings },
  { label: "Usage", href: (s) => `/${s}/usage`, icon: ChartColumn },
];
