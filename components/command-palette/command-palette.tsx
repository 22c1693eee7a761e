"use client";

import { Command, CornerDownLeft } from "lucide-react";
import { useRouter } from "next/navigation";
import { Dialog as D } from "radix-ui";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { awaitSyncResult } from "@/components/accounts/sync-toasts";
import { useAccountsOverview, useRefreshAccounts } from "@/components/accounts/use-accounts-overview";
import { OPEN_SHORTCUTS_EVENT } from "@/components/shell/shortcuts";
import { cn } from "@/components/ui/cn";
import { type PaletteItem, paletteItems } from "./palette-items";
import { usePaletteContacts } from "./use-palette-contacts";

/**
 * ⌘K / Ctrl+K from anywhere in the organisation: jump to a screen or a mailbox, search contacts or
 * mail, "sync now". A dialog (focus kept inside, Esc closes, focus returns) holding a combobox:
 * ↑/↓ move, Enter runs, typing filters.
 */
export function CommandPalette({ slug }: { slug: string }) {
  const [open, setOpen] = useState(false);
  // Read by a closed dialog's deferred focus return (see PaletteDialog), after newer renders.
  const openNow = useRef(false);
  const change = (next: boolean) => {
    openNow.current = next;
    setOpen(next);
  };
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        openNow.current = !openNow.current;
        setOpen(openNow.current);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <D.Root open={open} onOpenChange={change}>
      <D.Trigger
        className="hidden h-8 items-center gap-1.5 rounded-md border border-line px-2 text-[12px] text-ink-faint hover:bg-hover hover:text-ink sm:inline-flex"
        aria-label="Open the command palette"
        aria-keyshortcuts="Meta+K Control+K"
      >
        <Command className="size-3.5" />
        <span className="font-mono text-[11px]">K</span>
      </D.Trigger>
      {open ? <PaletteDialog slug={slug} close={() => change(false)} reopened={() => openNow.current} /> : null}
    </D.Root>
  );
}

function PaletteDialog({ slug, close, reopened }: { slug: string; close: () => void; reopened: () => boolean }) {
  const router = useRouter();
  const refresh = useRefreshAccounts(slug);
  const { data } = useAccountsOverview(slug, { idleMs: 60_000 });
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const list = useRef<HTMLUListElement>(null);
  const contacts = usePaletteContacts(slug, query);
  const items = useMemo(() => paletteItems(slug, query, data?.accounts ?? [], contacts), [slug, query, data, contacts]);
  const current = Math.min(active, Math.max(0, items.length - 1));

  useEffect(() => {
    list.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: "nearest" });
  }, [current]);

  async function run(item: PaletteItem) {
    close();
    if (item.action.kind === "navigate") return router.push(item.action.href);
    // After the palette's own focus return (a timer tick after it closes), so the list keeps the focus.
    if (item.action.kind === "shortcuts") return void setTimeout(() => window.dispatchEvent(new Event(OPEN_SHORTCUTS_EVENT)), 0);
    const { accountId, label, messages } = item.action;
    const response = await fetch(`/api/orgs/${encodeURIComponent(slug)}/accounts/${accountId}/sync`, { method: "POST" }).catch(() => null);
    if (!response?.ok) {
      const body = (await response?.json().catch(() => null)) as { error?: { message?: string } } | null;
      return toast.error(body?.error?.message ?? "Could not request the sync. Try again.");
    }
    awaitSyncResult(accountId, label, messages);
    toast.success(`Sync of ${label} requested.`);
    void refresh();
  }

  return (
    <D.Portal>
      <D.Overlay className="fixed inset-0 z-40 bg-black/30 backdrop-blur-[1px]" />
      <D.Content
        className="fixed top-[14%] left-1/2 z-50 w-[calc(100vw-2rem)] max-w-[560px] -translate-x-1/2 overflow-hidden rounded-xl border border-line bg-panel shadow-2xl shadow-black/20 focus:outline-none"
        data-testid="command-palette"
        onOpenAutoFocus={(event) => {
          event.preventDefault();
          (event.currentTarget as HTMLElement).querySelector("input")?.focus();
        }}
        onCloseAutoFocus={(event) => {
          // Radix returns the focus a timer tick after the dialog is gone. If the palette was opened
          // again meanwhile, that focus would land outside the new dialog, whose trap pulls it back
          // and selects what was typed so far: the next key would replace it.
          if (reopened()) event.preventDefault();
        }}
      >
        <D.Title className="sr-only">Command palette</D.Title>
        <D.Description className="sr-only">Type to filter; arrow keys to move; Enter to run; Escape to close.</D.Description>
        <input
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={items[current] ? `${listId}-${items[current].id}` : undefined}
          aria-autocomplete="list"
          aria-label="Command"
          value={query}
          placeholder="Go to a screen or mailbox, search contacts, sync…"
          className="h-11 w-full border-b border-line bg-transparent px-4 text-[14px] text-ink placeholder:text-ink-faint focus:outline-none"
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" || (event.ctrlKey && event.key === "n")) {
              event.preventDefault();
              setActive((current + 1) % Math.max(1, items.length));
            } else if (event.key === "ArrowUp" || (event.ctrlKey && event.key === "p")) {
              event.preventDefault();
              setActive((current - 1 + items.length) % Math.max(1, items.length));
            } else if (event.key === "Enter" && items[current]) {
              event.preventDefault();
              void run(items[current]);
            }
          }}
        />
        <ul ref={list} id={listId} role="listbox" aria-label="Commands" className="max-h-[360px] overflow-y-auto p-1.5">
          {items.length === 0 ? <li className="px-3 py-6 text-center text-[13px] text-ink-faint">Nothing matches “{query}”.</li> : null}
          {items.map((item, index) => {
            const header = index === 0 || items[index - 1]!.group !== item.group ? item.group : null;
            return (
              <li key={item.id} role="presentation">
                {header ? (
                  <div role="presentation" className="px-2.5 pt-2 pb-1 text-[11px] font-medium text-ink-faint">
                    {header}
                  </div>
                ) : null}
                <div
                  id={`${listId}-${item.id}`}
                  role="option"
                  aria-selected={index === current}
                  data-index={index}
                  className={cn("flex cursor-pointer items-center gap-2 rounded-md px-2.5 py-1.5 text-[13px] text-ink", index === current && "bg-hover")}
                  onMouseMove={() => index !== current && setActive(index)}
                  onClick={() => void run(item)}
                >
                  <span className="min-w-0 flex-1 truncate">{item.label}</span>
                  {item.hint ? <span className="font-mono text-[11px] text-ink-faint">{item.hint}</span> : null}
                  {index === current ? <CornerDownLeft className="size-3.5 text-ink-faint" aria-hidden /> : null}
                </div>
              </li>
            );
          })}
        </ul>
      </D.Content>
    </D.Portal>
  );
}
