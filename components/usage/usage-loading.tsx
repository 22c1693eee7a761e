/** Shaped like the usage page: header, six cards, two panels, a wide chart, two charts, a table. */
export function UsageLoading() {
  return (
    <div className="animate-pulse" aria-busy="true" aria-label="Loading usage">
      <div className="mb-2 h-5 w-24 rounded bg-hover" />
      <div className="mb-6 h-4 w-80 rounded bg-hover/70" />
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-[86px] rounded-lg border border-line bg-panel p-4">
            <div className="h-3 w-20 rounded bg-hover" />
            <div className="mt-3 h-5 w-14 rounded bg-hover/80" />
          </div>
        ))}
      </div>
      <div className="mb-4 grid gap-3 md:grid-cols-2">
        <div className="h-36 rounded-lg border border-line bg-panel" />
        <div className="h-36 rounded-lg border border-line bg-panel" />
      </div>
      <div className="mb-3 h-[262px] rounded-lg border border-line bg-panel" />
      <div className="grid gap-3 lg:grid-cols-2">
        <div className="h-[262px] rounded-lg border border-line bg-panel" />
        <div className="h-[262px] rounded-lg border border-line bg-panel" />
      </div>
    </div>
  );
}
