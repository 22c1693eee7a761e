"use client";

import { X } from "lucide-react";
import { Dialog as D } from "radix-ui";
import type { ReactNode } from "react";

export const Dialog = D.Root;
export const DialogTrigger = D.Trigger;
export const DialogClose = D.Close;

export function DialogContent({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <D.Portal>
      <D.Overlay className="fixed inset-0 z-40 bg-black/30 backdrop-blur-[1px]" />
      <D.Content className="fixed top-[18%] left-1/2 z-50 w-[calc(100vw-2rem)] max-w-[440px] -translate-x-1/2 rounded-xl border border-line bg-panel p-5 shadow-2xl shadow-black/20 focus:outline-none">
        <div className="mb-4 pr-8">
          <D.Title className="text-[15px] font-semibold text-ink">{title}</D.Title>
          {description ? <D.Description className="mt-1 text-[13px] text-ink-muted">{description}</D.Description> : <D.Description className="sr-only">{title}</D.Description>}
        </div>
        {children}
        <D.Close className="absolute top-4 right-4 rounded-md p-1 text-ink-faint hover:bg-hover hover:text-ink" aria-label="Close">
          <X className="size-4" />
        </D.Close>
      </D.Content>
    </D.Portal>
  );
}
