import type { ReactNode } from "react";
import { Avatar } from "@/components/ui/avatar";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatCount } from "@/components/mail/format";

export type ProfileFigure = { label: string; value: number | Date | null };

/** The header card of a person or a company: who, where, and the figures that matter. */
export function ProfileHeader({
  avatarName,
  square,
  title,
  subtitle,
  badges,
  figures,
  actions,
}: {
  avatarName: string;
  square?: boolean;
  title: string;
  subtitle?: ReactNode;
  badges?: ReactNode;
  figures: ProfileFigure[];
  actions?: ReactNode;
}) {
  return (
    <header className="mb-5 rounded-lg border border-line bg-panel" data-testid="profile-header">
      <div className="flex flex-wrap items-center gap-4 px-5 pt-5 pb-4">
        <Avatar name={avatarName} size={48} square={square} />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="truncate text-[18px] font-semibold tracking-[-0.01em] text-ink" data-testid="profile-title">
              {title}
            </h1>
            {badges}
          </div>
          {subtitle ? <div className="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-[13px] text-ink-muted">{subtitle}</div> : null}
        </div>
        {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
      </div>
      <dl className="grid grid-cols-2 border-t border-line sm:grid-cols-4">
        {figures.map((figure, i) => (
          <div key={figure.label} className={`px-5 py-3 ${i > 0 ? "sm:border-l sm:border-line" : ""} ${i % 2 === 1 ? "border-l border-line sm:border-l" : ""}`}>
            <dt className="text-[12px] text-ink-muted">{figure.label}</dt>
            <dd className="mt-0.5 text-[15px] font-semibold text-ink tabular-nums">
              {figure.value === null ? (
                <span className="text-ink-faint">—</span>
              ) : figure.value instanceof Date ? (
                <RelativeTime date={figure.value} />
              ) : (
                formatCount(figure.value)
              )}
            </dd>
          </div>
        ))}
      </dl>
    </header>
  );
}

/** A panel of the right rail. */
export function RailPanel({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="rounded-lg border border-line bg-panel" data-testid={testId}>
      <h2 className="flex h-9 items-center border-b border-line px-4 text-[12px] font-medium text-ink-muted">{title}</h2>
      <div className="px-4 py-2.5">{children}</div>
    </section>
  );
}
