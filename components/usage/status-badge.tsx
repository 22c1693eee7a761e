import { cn } from "@/components/ui/cn";
import type { Tone } from "./format";

const TONES: Record<Tone, string> = {
  ok: "bg-ok/10 text-ok",
  info: "bg-info/10 text-info",
  warn: "bg-warn/10 text-warn",
  danger: "bg-danger-soft text-danger",
  neutral: "bg-sunken text-ink-muted",
};

/** Status pill with a dot: colour only for status (green synced, blue syncing, amber attention, red failed). */
export function StatusBadge({ tone, children, title }: { tone: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span title={title} className={cn("inline-flex h-5 items-center gap-1.5 rounded-full px-2 text-[11.5px] font-medium whitespace-nowrap", TONES[tone])}>
      <span className="size-1.5 rounded-full bg-current" aria-hidden />
      {children}
    </span>
  );
}
