import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/brand";
import { requirePlatformAdmin } from "@/lib/admin/require-platform-admin";

export const metadata: Metadata = { title: { default: "Platform admin", template: "%s · Platform admin · Threadline" } };

/** The platform admin area: its own slim shell; anyone but a platform admin gets the 404 page. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const admin = await requirePlatformAdmin();
  return (
    <div className="min-h-dvh bg-canvas">
      <header className="sticky top-0 z-20 border-b border-line bg-panel">
        <div className="mx-auto flex h-12 max-w-[1180px] items-center gap-3 px-8">
          <Link href="/admin" className="flex items-center gap-2 text-[13px] font-semibold text-ink">
            <Logo size={22} /> Threadline
          </Link>
          <span className="rounded border border-accent/25 bg-accent-soft px-1.5 text-[11px] leading-5 font-medium text-accent">Platform admin</span>
          <span className="flex-1" />
          <span className="text-[12px] text-ink-faint" data-testid="admin-user">
            {admin.email}
          </span>
          <Link href="/" className="text-[12px] text-ink-muted hover:text-ink">
            Back to the app
          </Link>
        </div>
      </header>
      <main className="mx-auto w-full max-w-[1180px] px-8 py-7">{children}</main>
    </div>
  );
}
