"use client";

import { useEffect, useState } from "react";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { isTyping, OPEN_SHORTCUTS_EVENT, SHORTCUT_GROUPS } from "./shortcuts";

/** `?` from anywhere in the organisation (outside a field), or "Keyboard shortcuts" in the palette. */
export function ShortcutsDialog() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key !== "?" || event.metaKey || event.ctrlKey || event.altKey || isTyping(event)) return;
      event.preventDefault();
      setOpen(true);
    }
    const show = () => setOpen(true);
    window.addEventListener("keydown", onKey);
    window.addEventListener(OPEN_SHORTCUTS_EVENT, show);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener(OPEN_SHORTCUTS_EVENT, show);
    };
  }, []);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {open ? (
        <DialogContent title="Keyboard shortcuts">
          <div className="space-y-4" data-testid="shortcuts">
            {SHORTCUT_GROUPS.map((group) => (
              <section key={group.title}>
                <h3 className="mb-1.5 text-[11px] font-medium tracking-wide text-ink-faint uppercase">{group.title}</h3>
                <dl className="divide-y divide-line">
                  {group.items.map((item) => (
                    <div key={item.label} className="flex items-center justify-between gap-4 py-1.5 text-[13px]">
                      <dt className="text-ink">{item.label}</dt>
                      <dd className="flex shrink-0 items-center gap-1.5 text-[11px] text-ink-faint">
                        {item.keys.map((sequence, i) => (
                          <span key={sequence.join(" ")} className="flex items-center gap-1">
                            {i > 0 ? <span>or</span> : null}
                            {sequence.map((key, j) => (
                              <span key={`${key}-${j}`} className="flex items-center gap-1">
                                {j > 0 && item.inTurn ? <span>then</span> : null}
                                <kbd className="min-w-5 rounded border border-line bg-sunken px-1.5 py-0.5 text-center font-mono text-[11px] text-ink-muted">{key}</kbd>
                              </span>
                            ))}
                          </span>
                        ))}
                      </dd>
                    </div>
                  ))}
                </dl>
              </section>
            ))}
          </div>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
