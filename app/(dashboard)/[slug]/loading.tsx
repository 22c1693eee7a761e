/** Shaped like a page header and a panel, so navigation never shows a blank page. */
export default function Loading() {
  return (
    <div className="animate-pulse" aria-busy="true" aria-label="Loading">
      <div className="mb-2 h-5 w-48 rounded bg-hover" />
      <div className="mb-7 h-4 w-72 rounded bg-hover/70" />
      <div className="overflow-hidden rounded-lg border border-line bg-panel">
        <div className="h-9 border-b border-line bg-sunken" />
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="flex items-center gap-3 border-b border-line px-4 py-3 last:border-0">
            <div className="size-[26px] rounded-full bg-hover" />
            <div className="h-3.5 flex-1 rounded bg-hover/80" style={{ maxWidth: `${40 + ((i * 17) % 35)}%` }} />
            <div className="h-3.5 w-16 rounded bg-hover/60" />
          </div>
        ))}
      </div>
    </div>
  );
}
