export function Logo({ size = 28 }: { size?: number }) {
  return (
    <span className="inline-flex items-center justify-center rounded-lg bg-accent text-accent-ink shadow-sm shadow-accent/30" style={{ width: size, height: size }}>
      <svg viewBox="0 0 24 24" width={size * 0.6} height={size * 0.6} fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden>
        <path d="M4 7h11" />
        <path d="M4 12h16" />
        <path d="M4 17h8" />
      </svg>
    </span>
  );
}

/** The centred card used by sign-in, invitations and organisation creation. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: React.ReactNode; children: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center bg-canvas px-4 py-12">
      <div className="w-full max-w-[380px]">
        <div className="mb-6 flex flex-col items-center text-center">
          <Logo size={36} />
          <h1 className="mt-4 text-[18px] font-semibold tracking-[-0.01em] text-ink">{title}</h1>
          {subtitle ? <p className="mt-1 text-[13px] text-ink-muted">{subtitle}</p> : null}
        </div>
        <div className="rounded-xl border border-line bg-panel p-5 shadow-sm shadow-black/[0.04]">{children}</div>
      </div>
    </main>
  );
}
