"use client";

import { type ReactNode, useEffect, useRef } from "react";
import { isTyping } from "@/components/shell/shortcuts";

/** j / k move between results, Enter opens the focused one (it is a link), as in Gmail and Linear. */
export function ResultKeys({ children }: { children: ReactNode }) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (isTyping(event)) return;
      if (event.metaKey || event.ctrlKey || event.altKey || (event.key !== "j" && event.key !== "k")) return;
      const rows = Array.from(root.current?.querySelectorAll<HTMLElement>("[data-result]") ?? []);
      if (!rows.length) return;
      event.preventDefault();
      const current = rows.indexOf(document.activeElement as HTMLElement);
      const next = current < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, current + (event.key === "j" ? 1 : -1)));
      rows[next]!.focus();
      rows[next]!.scrollIntoView({ block: "nearest" });
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return <div ref={root}>{children}</div>;
}
