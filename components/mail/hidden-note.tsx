import { EyeOff } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** Says plainly that something exists but this mailbox does not share it with the reader. */
export function HiddenNote({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-1 text-[12px] text-ink-faint italic", className)}>
      <EyeOff className="size-3 shrink-0" aria-hidden /> {children}
    </span>
  );
}
