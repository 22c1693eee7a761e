import Link from "next/link";
import { cn } from "@/components/ui/cn";

export type SegmentedOption = { label: string; href: string; active: boolean; disabled?: string };

/** A segmented control made of links, so the choice lives in the URL (linkable, survives reload). */
export function Segmented({ label, options }: { label: string; options: SegmentedOption[] }) {
  return (
    <div className="flex items-center gap-2">
      <span className="text-[12px] text-ink-faint">{label}</span>
      <div className="inline-flex rounded-md border border-line bg-sunken p-0.5" role="group" aria-label={label}>
        {options.map((option) =>
          option.disabled ? (
            <span key={option.label} className="h-6 cursor-not-allowed rounded px-2.5 text-[12px] leading-6 text-ink-faint" title={option.disabled} aria-disabled>
              {option.label}
            </span>
          ) : (
            <Link
              key={option.label}
              href={option.href}
              aria-current={option.active ? "true" : undefined}
              className={cn(
                "h-6 rounded px-2.5 text-[12px] leading-6 transition-colors",
                option.active ? "bg-panel font-medium text-ink shadow-sm shadow-black/10" : "text-ink-muted hover:text-ink",
              )}
            >
              {option.label}
            </Link>
          ),
        )}
      </div>
    </div>
  );
}
