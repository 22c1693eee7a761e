import { cn } from "@/components/ui/cn";

/** The thin sync progress bar (home page's sync line, accounts screen's folders). */
export function ProgressBar({ percent, label, className, tone = "info" }: { percent: number; label: string; className?: string; tone?: "info" | "ok" | "muted" }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <span
      className={cn("block h-1.5 overflow-hidden rounded-full", tone === "ok" ? "bg-ok/15" : tone === "muted" ? "bg-line" : "bg-info/15", className)}
      role="progressbar"
      aria-valuenow={value}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-label={label}
    >
      <span className={cn("block h-full rounded-full transition-[width] duration-700", tone === "ok" ? "bg-ok" : tone === "muted" ? "bg-ink-faint" : "bg-info")} style={{ width: `${value}%` }} />
    </span>
  );
}

export function percentOf(synced: number, total: number): number {
  return total > 0 ? Math.min(100, (synced / total) * 100) : 0;
}
