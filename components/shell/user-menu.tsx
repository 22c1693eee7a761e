"use client";

import { LogOut } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";

export function UserMenu({ name, email, signOutAction }: { name: string | null; email: string | null; signOutAction: (formData?: FormData) => Promise<void> }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex h-9 w-full items-center gap-2 rounded-md px-2 text-left outline-none hover:bg-hover data-[state=open]:bg-hover"
        data-testid="user-menu"
      >
        <Avatar name={name || email} size={20} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-[12px] font-medium text-ink">{name || email}</span>
        </span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" side="top" className="w-[220px]">
        <DropdownMenuLabel className="truncate">{email}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOutAction()}>
          <LogOut className="size-4 text-ink-faint" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
