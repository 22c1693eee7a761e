import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

export function EmptyState({ icon: Icon, title, children, action }: { icon: LucideIcon; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-line-strong bg-panel/50 px-6 py-16 text-center">
      <div className="mb-4 flex size-10 items-center justify-center rounded-lg border border-line bg-panel text-ink-muted shadow-sm shadow-black/5">
        <Icon className="size-5" strokeWidth={1.75} />
      </div>
      <h2 className="text-[14px] font-semibold text-ink">{title}</h2>
      {children ? <p className="mt-1 max-w-sm text-[13px] text-ink-muted">{children}</p> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}
