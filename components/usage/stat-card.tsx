import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** A headline number with its label and one line of context under it. */
export function StatCard({ label, value, detail, tone, testId }: { label: string; value: ReactNode; detail?: ReactNode; tone?: "danger" | "warn"; testId?: string }) {
  return (
    <div className="min-w-0 rounded-lg border border-line bg-panel px-4 py-3" data-testid={testId}>
      <p className="truncate text-[12px] text-ink-muted">{label}</p>
      <p className={cn("mt-1 text-[20px] leading-7 font-semibold tabular-nums text-ink", tone === "danger" && "text-danger", tone === "warn" && "text-warn")}>{value}</p>
      {detail ? <div className="mt-0.5 truncate text-[12px] text-ink-faint">{detail}</div> : null}
    </div>
  );
}
