import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { USAGE_WINDOWS } from "@/lib/usage/usage-scope";

/** 7 / 30 / 90 days, as links: the window lives in the URL (?days=), so every view is linkable. */
export function WindowPicker({ basePath, days }: { basePath: string; days: number }) {
  return (
    <div className="inline-flex rounded-md border border-line bg-sunken p-0.5" role="group" aria-label="Time window">
      {USAGE_WINDOWS.map((option) => (
        <Link
          key={option}
          href={option === 30 ? basePath : `${basePath}?days=${option}`}
          aria-current={option === days ? "true" : undefined}
          className={cn("h-6 rounded px-2.5 text-[12px] leading-6", option === days ? "bg-panel font-medium text-ink shadow-sm shadow-black/10" : "text-ink-muted hover:text-ink")}
        >
          {option} days
        </Link>
      ))}
    </div>
  );
}
