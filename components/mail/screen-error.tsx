"use client";

import { RotateCw, TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";

/** A screen that failed to load: what happened in plain words, and the one thing to try. */
export function ScreenError({ what, reset }: { what: string; reset: () => void }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-line bg-panel px-6 py-16 text-center" role="alert">
      <div className="mb-4 flex size-10 items-center justify-center rounded-lg border border-danger/20 bg-danger-soft text-danger">
        <TriangleAlert className="size-5" strokeWidth={1.75} />
      </div>
      <h2 className="text-[14px] font-semibold text-ink">Could not load {what}</h2>
      <p className="mt-1 max-w-sm text-[13px] text-ink-muted">Something went wrong on our side; nothing was lost. Try again in a moment.</p>
      <Button className="mt-5" onClick={reset}>
        <RotateCw className="size-3.5" /> Try again
      </Button>
    </div>
  );
}
