"use client";

import { Maximize2, Minimize2 } from "lucide-react";
import { useState } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A message's HTML in a sandboxed frame: no scripts, no same-origin access (an opaque origin), only
 * popups for links; the body route adds a CSP that says the same. Such a frame cannot report its
 * height, so it starts from the server's estimate, scrolls inside when longer, and can be resized
 * (drag the corner) or expanded.
 */
export function MailFrame({ src, title, estimatedHeight }: { src: string; title: string; estimatedHeight: number }) {
  const [loaded, setLoaded] = useState<string | null>(null);
  const [tall, setTall] = useState(false);
  const height = tall ? "max(80vh, 480px)" : `${Math.min(estimatedHeight, 720)}px`;
  return (
    <div className="group/frame relative">
      <div className="relative resize-y overflow-hidden rounded-md" style={{ height, minHeight: 80 }}>
        <iframe
          key={src}
          src={src}
          title={title}
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          loading="lazy"
          onLoad={() => setLoaded(src)}
          className="block h-full w-full border-0 bg-white"
          data-testid="mail-frame"
        />
        {loaded !== src ? (
          <div className="absolute inset-0 animate-pulse space-y-2.5 bg-white p-3" aria-hidden>
            <div className="h-3 w-3/4 rounded bg-black/[0.06]" />
            <div className="h-3 w-2/3 rounded bg-black/[0.06]" />
            <div className="h-3 w-5/6 rounded bg-black/[0.05]" />
            <div className="h-3 w-1/2 rounded bg-black/[0.05]" />
          </div>
        ) : null}
      </div>
      {estimatedHeight > 320 ? (
        <button
          type="button"
          onClick={() => setTall((value) => !value)}
          className={cn(
            "absolute top-1.5 right-1.5 inline-flex items-center gap-1 rounded-md border border-line bg-panel/95 px-1.5 py-0.5 text-[11px] text-ink-muted opacity-0 shadow-sm transition-opacity group-hover/frame:opacity-100 focus-visible:opacity-100 hover:text-ink",
          )}
          aria-label={tall ? "Shrink message" : "Expand message"}
        >
          {tall ? <Minimize2 className="size-3" /> : <Maximize2 className="size-3" />}
          {tall ? "Shrink" : "Expand"}
        </button>
      ) : null}
    </div>
  );
}
