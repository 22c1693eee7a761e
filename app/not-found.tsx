import Link from "next/link";
import { Logo } from "@/components/brand";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-canvas px-4 text-center">
      <Logo size={32} />
      <p className="mt-6 font-mono text-[12px] text-ink-faint">404</p>
      <h1 className="mt-1 text-[18px] font-semibold text-ink">Page not found</h1>
      <p className="mt-1 max-w-sm text-[13px] text-ink-muted">
        This page does not exist, or it belongs to an organisation you are not a member of.
      </p>
      <Button asChild className="mt-6">
        <Link href="/">Go to your organisations</Link>
      </Button>
    </main>
  );
}
