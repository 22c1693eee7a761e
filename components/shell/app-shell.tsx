import type { ReactNode } from "react";
import { SyncToasts } from "@/components/accounts/sync-toasts";
import { CommandPalette } from "@/components/command-palette/command-palette";
import { OrgSwitcher, type SwitcherOrg } from "./org-switcher";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { SidebarNav } from "./sidebar-nav";
import { TopBar } from "./top-bar";
import { UserMenu } from "./user-menu";

type AppShellProps = {
  current: SwitcherOrg;
  orgs: SwitcherOrg[];
  user: { name: string | null; email: string | null };
  signOutAction: (formData?: FormData) => Promise<void>;
  children: ReactNode;
};

export function AppShell({ current, orgs, user, signOutAction, children }: AppShellProps) {
  return (
    <div className="flex h-dvh overflow-hidden">
      <aside className="flex w-[232px] shrink-0 flex-col border-r border-line bg-sunken">
        <div className="px-2 pt-2">
          <OrgSwitcher current={current} orgs={orgs} />
        </div>
        <SidebarNav slug={current.slug} />
        <div className="border-t border-line p-2">
          <UserMenu name={user.name} email={user.email} signOutAction={signOutAction} />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <TopBar slug={current.slug} orgName={current.name}>
          <CommandPalette slug={current.slug} />
        </TopBar>
        <SyncToasts slug={current.slug} />
        <ShortcutsDialog />
        <main className="flex-1 overflow-y-auto">
          <div className="mx-auto w-full max-w-[1080px] px-8 py-7">{children}</div>
        </main>
      </div>
    </div>
  );
}
