import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/brand";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { db } from "@/db";
import { checkInvitationLookupRate } from "@/lib/abuse/check-invitation-rate";
import { requestHeaders } from "@/lib/abuse/request-headers";
import { getSessionUser } from "@/lib/auth/session";
import { findInvitation } from "@/lib/invitations/find-invitation";
import { ROLE_LABELS } from "@/lib/tenancy/permissions";
import { signOutAction } from "@/app/login/actions";
import { AcceptInvitationButton } from "./accept-button";

export const metadata: Metadata = { title: "Invitation" };

const UNUSABLE = {
  expired: "This invitation has expired. Ask whoever invited you for a new link.",
  revoked: "This invitation was revoked. Ask whoever invited you for a new link.",
  accepted: "This invitation has already been used. Ask whoever invited you for a new link.",
} as const;

export default async function InvitePage(props: PageProps<"/invite/[token]">) {
  const { token } = await props.params;
  const refusal = lookupRefusal(await requestHeaders());
  if (refusal) {
    return (
      <AuthCard title="Slow down" subtitle={refusal}>
        <Button asChild className="w-full">
          <Link href="/">Go to Threadline</Link>
        </Button>
      </AuthCard>
    );
  }
  const [user, invitation] = await Promise.all([getSessionUser(), token.length <= 128 ? findInvitation(db, token) : null]);

  if (!invitation) {
    return (
      <AuthCard title="Invitation not found" subtitle="This link is not valid. Check that you copied all of it.">
        <Button asChild className="w-full">
          <Link href="/">Go to Threadline</Link>
        </Button>
      </AuthCard>
    );
  }

  const subtitle = (
    <>
      {invitation.invitedByName ?? "Someone"} invited you to join as <strong className="font-medium text-ink">{ROLE_LABELS[invitation.role].toLowerCase()}</strong>.
    </>
  );

  return (
    <AuthCard title={`Join ${invitation.orgName}`} subtitle={subtitle}>
      <div className="mb-5 flex items-center gap-3 rounded-lg border border-line bg-sunken px-3 py-2.5">
        <Avatar name={invitation.orgName} size={28} square />
        <div className="min-w-0">
          <p className="truncate text-[13px] font-medium text-ink">{invitation.orgName}</p>
          <p className="truncate text-[12px] text-ink-faint">
            {invitation.email ? `For ${invitation.email}` : "Anyone with this link"} · expires {invitation.expiresAt.toLocaleDateString("en-GB", { day: "numeric", month: "short" })}
          </p>
        </div>
      </div>
      {invitation.status !== "pending" ? (
        <p className="text-[13px] text-ink-muted">{UNUSABLE[invitation.status]}</p>
      ) : !user ? (
        <Button asChild variant="primary" size="lg" className="w-full">
          <Link href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>Sign in to accept</Link>
        </Button>
      ) : (
        <>
          {invitation.email && invitation.email !== user.email?.toLowerCase() ? (
            <p className="text-[13px] text-ink-muted">
              This invitation is for <strong className="font-medium text-ink">{invitation.email}</strong>. Sign in with that address to accept it.
            </p>
          ) : (
            <AcceptInvitationButton token={token} orgName={invitation.orgName} />
          )}
          <form action={signOutAction} className="mt-3 text-center text-[12px] text-ink-faint">
            <input type="hidden" name="callbackUrl" value={`/invite/${token}`} />
            Signed in as {user.email}.{" "}
            <button type="submit" className="text-ink-muted underline-offset-2 hover:underline">
              Use another account
            </button>
          </form>
        </>
      )}
    </AuthCard>
  );
}

// Opening invitation links is limited per client IP (token guessing); the refusal is a sentence.
function lookupRefusal(source: Headers): string | null {
  try {
    checkInvitationLookupRate(source);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
