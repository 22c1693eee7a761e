"use client";

import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { goBack } from "./keyboard-list";

/** "Back" to the list the reader came from (keeping its filters and scroll), like Esc. */
export function BackLink({ fallback }: { fallback: string }) {
  const router = useRouter();
  return (
    <Link
      href={fallback}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        goBack(router, fallback);
      }}
      className="mb-3 inline-flex items-center gap-1 text-[12px] text-ink-muted hover:text-ink"
      data-testid="thread-back"
    >
      <ArrowLeft className="size-3.5" /> Back <kbd className="ml-1 rounded border border-line px-1 font-mono text-[10px] text-ink-faint">Esc</kbd>
    </Link>
  );
}
