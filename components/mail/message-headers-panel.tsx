"use client";

import { useQuery } from "@tanstack/react-query";
import type { MessageHeaders } from "@/lib/conversations/get-message-headers";

/** "Show headers": fetched on demand from the guarded headers route. */
export function MessageHeadersPanel({ slug, messageId }: { slug: string; messageId: string }) {
  const query = useQuery({
    queryKey: ["message-headers", slug, messageId],
    queryFn: async (): Promise<MessageHeaders> => {
      const response = await fetch(`/api/orgs/${slug}/messages/${messageId}/headers`);
      if (!response.ok) throw new Error(((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "Could not load the headers.");
      return response.json();
    },
    staleTime: Infinity,
  });
  return (
    <div className="mt-2 rounded-md border border-line bg-sunken px-3 py-2 font-mono text-[11.5px] leading-[18px]" data-testid="message-headers">
      {query.isPending ? (
        <div className="animate-pulse space-y-1.5 py-1" aria-label="Loading headers">
          {[60, 80, 45, 70].map((w) => (
            <div key={w} className="h-2.5 rounded bg-hover" style={{ width: `${w}%` }} />
          ))}
        </div>
      ) : query.isError ? (
        <p className="font-sans text-[12px] text-danger">{query.error.message}</p>
      ) : (
        <>
          <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3">
            {query.data.fields.map((field, i) => (
              <div key={`${field.name}-${i}`} className="contents">
                <dt className="text-ink-muted">{field.name}:</dt>
                <dd className="break-all text-ink">{field.value}</dd>
              </div>
            ))}
          </dl>
          {query.data.folders.length ? (
            <p className="mt-1.5 border-t border-line pt-1.5 text-ink-muted">
              In:{" "}
              {query.data.folders.map((f) => `${f.path}${f.flags.length ? ` (${f.flags.join(" ")})` : ""}${f.labels.length ? ` [${f.labels.join(", ")}]` : ""}`).join(" · ")}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
