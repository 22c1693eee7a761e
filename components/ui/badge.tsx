import type { ReactNode } from "react";
import { cn } from "./cn";

const TONES = {
  neutral: "bg-sunken text-ink-muted border-line",
  accent: "bg-accent-soft text-accent border-transparent",
  ok: "bg-ok/10 text-ok border-transparent",
  warn: "bg-warn/10 text-warn border-transparent",
  danger: "bg-danger-soft text-danger border-transparent",
} as const;

export function Badge({ tone = "neutral", children, className }: { tone?: keyof typeof TONES; children: ReactNode; className?: string }) {
  return (
    <span className={cn("inline-flex h-5 items-center rounded border px-1.5 text-[11px] font-medium", TONES[tone], className)}>
      {children}
    </span>
  );
}
