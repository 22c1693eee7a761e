/** Shaped like a conversation: title, then message cards. */
export default function Loading() {
  return (
    <div className="mx-auto max-w-[860px] animate-pulse" aria-busy="true" aria-label="Loading conversation">
      <div className="mb-3 h-3 w-14 rounded bg-hover/70" />
      <div className="mb-2 h-6 w-2/3 rounded bg-hover" />
      <div className="mb-6 h-3.5 w-1/2 rounded bg-hover/60" />
      {[0, 1].map((i) => (
        <div key={i} className="mb-2 flex gap-3 rounded-lg border border-line bg-panel px-4 py-3">
          <div className="size-[26px] rounded-full bg-hover" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-40 rounded bg-hover/90" />
            <div className="h-3 w-3/4 rounded bg-hover/60" />
          </div>
        </div>
      ))}
      <div className="rounded-lg border border-line bg-panel px-4 py-4">
        <div className="flex gap-3">
          <div className="size-8 rounded-full bg-hover" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-48 rounded bg-hover/90" />
            <div className="h-3 w-32 rounded bg-hover/60" />
          </div>
        </div>
        <div className="mt-4 space-y-2.5 pl-11">
          {[90, 80, 85, 60, 70].map((w) => (
            <div key={w} className="h-3 rounded bg-hover/60" style={{ width: `${w}%` }} />
          ))}
        </div>
      </div>
    </div>
  );
}
