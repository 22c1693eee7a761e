/** Shaped like the results: header, chips, toolbar, rows with avatar, sender, subject and excerpt. */
export default function Loading() {
  return (
    <div className="animate-pulse" aria-busy="true" aria-label="Searching">
      <div className="mb-2 h-5 w-28 rounded bg-hover" />
      <div className="mb-6 h-4 w-44 rounded bg-hover/70" />
      <div className="mb-4 flex gap-1.5">
        {[96, 72, 110].map((w) => (
          <div key={w} className="h-6 rounded-full bg-hover/70" style={{ width: w }} />
        ))}
      </div>
      <div className="mb-3 flex justify-between">
        <div className="h-7 w-56 rounded-md bg-hover/70" />
        <div className="h-7 w-48 rounded-md bg-hover/70" />
      </div>
      <div className="overflow-hidden rounded-lg border border-line bg-panel">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="flex gap-3 border-b border-line px-4 py-3 last:border-0">
            <div className="size-7 rounded-full bg-hover" />
            <div className="flex-1 space-y-2">
              <div className="flex justify-between">
                <div className="h-3.5 w-40 rounded bg-hover" />
                <div className="h-3 w-12 rounded bg-hover/60" />
              </div>
              <div className="h-3.5 rounded bg-hover/80" style={{ width: `${45 + ((i * 13) % 30)}%` }} />
              <div className="h-3 rounded bg-hover/50" style={{ width: `${70 + ((i * 7) % 25)}%` }} />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
