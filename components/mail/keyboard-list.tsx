"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";
import { isTyping } from "@/components/shell/shortcuts";

// Pages of this app the reader has opened in this tab: Esc may go back only when there is one.
let visitedScreens = 0;

/** Back to the previous screen of ours when there is one, else to `fallback`. */
export function goBack(router: { back: () => void; push: (href: string) => void }, fallback: string) {
  if (visitedScreens > 1 && window.history.length > 1) router.back();
  else router.push(fallback);
}

/**
 * Keyboard control of a list, as in Linear and Gmail: j / k (or ↓ / ↑ once a row has focus) move
 * between rows (`[data-row]`, focusable), Enter opens the focused row (a link opens itself; other
 * rows click their `[data-row-open]`), Esc goes back to where the reader came from (`backHref`
 * when the tab has no earlier screen of ours).
 */
export function KeyboardList({ children, backHref, className }: { children: ReactNode; backHref?: string; className?: string }) {
  const root = useRef<HTMLDivElement>(null);
  const router = useRouter();

  useEffect(() => {
    visitedScreens += 1;
  }, []);

  useEffect(() => {
    // Says the keys are live (hydrated): browser tests wait for it before typing.
    root.current?.setAttribute("data-keys-ready", "");
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTyping(event)) return;
      if (document.querySelector("[role=dialog],[role=menu]")) return;
      const rows = Array.from(root.current?.querySelectorAll<HTMLElement>("[data-row]") ?? []);
      const current = rows.findIndex((row) => row === document.activeElement || row.contains(document.activeElement));
      const arrows = current >= 0 && (event.key === "ArrowDown" || event.key === "ArrowUp");
      if (event.key === "j" || event.key === "k" || arrows) {
        if (!rows.length) return;
        event.preventDefault();
        const step = event.key === "j" || event.key === "ArrowDown" ? 1 : -1;
        const next = current < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, current + step));
        rows[next]!.focus();
        rows[next]!.scrollIntoView({ block: "nearest" });
      } else if (event.key === "Enter" && current >= 0) {
        const row = rows[current]!;
        if (row.tagName === "A" || row.tagName === "BUTTON") return;
        event.preventDefault();
        row.querySelector<HTMLElement>("[data-row-open]")?.click();
      } else if (event.key === "Escape" && backHref) {
        event.preventDefault();
        goBack(router, backHref);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [backHref, router]);

  return (
    <div ref={root} className={className}>
      {children}
    </div>
  );
}
