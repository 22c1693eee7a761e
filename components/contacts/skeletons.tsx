/** Loading shapes of the contact and company screens: the content's outline, never a spinner. */
export function TableSkeleton({ title }: { title: string }) {
  return (
    <div className="animate-pulse" aria-busy="true" aria-label={`Loading ${title.toLowerCase()}`}>
      <div className="mb-2 h-5 w-32 rounded bg-hover" />
      <div className="mb-6 h-4 w-80 rounded bg-hover/70" />
      <div className="mb-3 flex gap-2">
        <div className="h-8 w-[320px] rounded-md bg-hover/80" />
        <div className="h-8 w-64 rounded-md bg-hover/60" />
      </div>
      <div className="overflow-hidden rounded-lg border border-line bg-panel">
        <div className="h-9 border-b border-line bg-sunken" />
        {Array.from({ length: 12 }, (_, i) => (
          <div key={i} className="flex h-[35px] items-center gap-3 border-b border-line px-4 last:border-0">
            <div className="size-[22px] rounded-full bg-hover" />
            <div className="w-[26%]">
              <div className="h-3 rounded bg-hover/90" style={{ width: `${45 + ((i * 13) % 35)}%` }} />
            </div>
            <div className="flex-1">
              <div className="h-3 rounded bg-hover/60" style={{ width: `${35 + ((i * 7) % 30)}%` }} />
            </div>
            <div className="h-3 w-20 rounded bg-hover/60" />
            <div className="ml-8 h-3 w-8 rounded bg-hover/60" />
            <div className="ml-8 h-3 w-14 rounded bg-hover/60" />
          </div>
        ))}
      </div>
    </div>
  );
}

/** A person or company page: header card, then the timeline beside a rail. */
export function ProfileSkeleton() {
  return (
    <div className="animate-pulse" aria-busy="true" aria-label="Loading">
      <div className="mb-5 flex items-center gap-4 rounded-lg border border-line bg-panel p-5">
        <div className="size-12 rounded-full bg-hover" />
        <div className="flex-1 space-y-2">
          <div className="h-5 w-48 rounded bg-hover" />
          <div className="h-3.5 w-72 rounded bg-hover/70" />
        </div>
      </div>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_260px]">
        <div className="overflow-hidden rounded-lg border border-line bg-panel">
          <div className="h-10 border-b border-line" />
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="flex gap-3 border-b border-line px-4 py-3 last:border-0">
              <div className="size-7 rounded-full bg-hover" />
              <div className="flex-1 space-y-2">
                <div className="h-3 rounded bg-hover/90" style={{ width: `${30 + ((i * 11) % 25)}%` }} />
                <div className="h-3 rounded bg-hover/60" style={{ width: `${55 + ((i * 7) % 30)}%` }} />
              </div>
            </div>
          ))}
        </div>
        <div className="h-48 rounded-lg border border-line bg-panel" />
      </div>
    </div>
  );
}
