"use client";

import { Check, ChevronsUpDown, Plus } from "lucide-react";
import Link from "next/link";
import { Avatar } from "@/components/ui/avatar";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { ROLE_LABELS, type Role } from "@/lib/tenancy/permissions";

export type SwitcherOrg = { slug: string; name: string; personal: boolean; role: Role };

export function OrgSwitcher({ current, orgs }: { current: SwitcherOrg; orgs: SwitcherOrg[] }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex h-9 w-full items-center gap-2 rounded-md px-2 text-left transition-colors outline-none hover:bg-hover data-[state=open]:bg-hover"
        aria-label="Switch organisation"
        data-testid="org-switcher"
      >
        <Avatar name={current.name} size={20} square />
        <span className="min-w-0 flex-1 truncate text-[13px] font-semibold text-ink">{current.name}</span>
        <ChevronsUpDown className="size-3.5 text-ink-faint" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-[260px]">
        <DropdownMenuLabel>Organisations</DropdownMenuLabel>
        {orgs.map((org) => (
          <DropdownMenuItem key={org.slug} asChild>
            <Link href={`/${org.slug}`}>
              <Avatar name={org.name} size={18} square />
              <span className="min-w-0 flex-1 truncate">{org.name}</span>
              <span className="text-[11px] text-ink-faint">{org.personal ? "Personal" : ROLE_LABELS[org.role]}</span>
              {org.slug === current.slug ? <Check className="size-3.5 text-accent" /> : <span className="size-3.5" />}
            </Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/new" className="text-ink-muted">
            <span className="flex size-[18px] items-center justify-center rounded-md border border-dashed border-line-strong">
              <Plus className="size-3" />
            </span>
            Create organisation
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
